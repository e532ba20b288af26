// Finds the notebook (and cell) a command is about: from its menu argument, else the active notebook editor.
import * as vscode from "vscode";
import { NOTEBOOK_TYPE } from "../serializer.js";

/** The .mlnb notebook a command targets, or undefined with a message shown. */
export function targetNotebook(arg: unknown): vscode.NotebookDocument | undefined {
  const a = arg as { notebookEditor?: { notebookUri?: vscode.Uri }; notebook?: vscode.NotebookDocument; uri?: vscode.Uri } | undefined;
  const uri = a?.notebookEditor?.notebookUri ?? a?.notebook?.uri ?? (a?.uri instanceof vscode.Uri ? a.uri : undefined);
  const notebook = uri ? vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === uri.toString()) : vscode.window.activeNotebookEditor?.notebook;
  if (!notebook || notebook.notebookType !== NOTEBOOK_TYPE) {
    void vscode.window.showWarningMessage("mlnb: open an .mlnb notebook first.");
    return undefined;
  }
  return notebook;
}

/** The cell(s) a cell command targets: the cell it was invoked on, else the selected cells of the active editor. */
export function targetCells(arg: unknown): vscode.NotebookCell[] {
  const a = arg as vscode.NotebookCell | undefined;
  if (a && typeof a === "object" && "notebook" in a && "document" in a) return [a];
  const editor = vscode.window.activeNotebookEditor;
  if (!editor || editor.notebook.notebookType !== NOTEBOOK_TYPE) return [];
  return editor.selections.flatMap((r) => editor.notebook.getCells(r));
}
