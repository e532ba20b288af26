// Shows the kernel's type, syntax and magic errors as squiggles on the cell that failed, until it is edited or run again.
import * as vscode from "vscode";
import type { ErrorInfo } from "../kernel/protocol.js";
import { cellProblems, problemRange } from "./cellErrors.js";
import { NOTEBOOK_TYPE } from "./serializer.js";

/** One DiagnosticCollection for all mlnb cells, keyed by the cell document's URI. */
export class CellDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection("mlnb");
  private readonly listeners: vscode.Disposable[];

  constructor() {
    this.listeners = [
      // The positions are those of the text the kernel checked: after an edit they may point anywhere.
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && this.collection.has(e.document.uri)) this.collection.delete(e.document.uri);
      }),
      vscode.workspace.onDidCloseNotebookDocument((nb) => {
        if (nb.notebookType === NOTEBOOK_TYPE) for (const cell of nb.getCells()) this.collection.delete(cell.document.uri);
      }),
    ];
  }

  /** Show an error the kernel reported for a cell; errors without a position in the code are left to the output. */
  show(cell: vscode.NotebookCell, error: ErrorInfo): void {
    const problems = cellProblems(error);
    if (problems.length === 0) return;
    const text = cell.document.getText();
    this.collection.set(
      cell.document.uri,
      problems.map((p) => {
        const r = problemRange(text, p);
        const d = new vscode.Diagnostic(new vscode.Range(r.line, r.start, r.line, r.end), p.message, vscode.DiagnosticSeverity.Error);
        d.source = "mlnb";
        if (p.code !== undefined) d.code = p.code;
        return d;
      }),
    );
  }

  /** Forget a cell's problems (it is running again). */
  clear(cell: vscode.NotebookCell): void {
    this.collection.delete(cell.document.uri);
  }

  dispose(): void {
    for (const l of this.listeners) l.dispose();
    this.collection.dispose();
  }
}
