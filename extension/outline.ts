// Stages in VS Code's outline, breadcrumbs and Go to Symbol: a document symbol provider on mlnb cells, one symbol per `%%stage` / `%%params` line.
import * as vscode from "vscode";
import type { KernelConnection } from "./kernel.js";
import { CELL_LANGUAGE } from "./notebookData.js";
import { NOTEBOOK_TYPE } from "./serializer.js";
import { cellSymbolOf, symbolDetail, symbolName } from "./stageSymbols.js";

/** Finds a notebook's running kernel, if any (never starts one). */
export type PeekKernel = (notebook: vscode.NotebookDocument) => Promise<KernelConnection> | undefined;

/** How long the outline waits for a running kernel's stage graph before showing `--needs` alone. */
const GRAPH_WAIT_MS = 1000;

/** The stages each stage reads from, per the running kernel's graph (empty without a kernel). */
async function graphParents(notebook: vscode.NotebookDocument, peek: PeekKernel): Promise<Map<string, string[]>> {
  const kernel = await peek(notebook)?.catch(() => undefined);
  if (!kernel?.command) return new Map();
  const ask = kernel.command("graph", {}) as Promise<{ graph?: { stages?: { name: string; parents: string[] }[] } }>;
  const timeout = new Promise<undefined>((r) => setTimeout(r, GRAPH_WAIT_MS));
  const answer = await Promise.race([ask.catch(() => undefined), timeout]);
  return new Map((answer?.graph?.stages ?? []).map((s) => [s.name, s.parents]));
}

/**
 * Register the symbol provider. VS Code's notebook outline lists a code cell by its first line
 * with the cell's symbols under it (setting `notebook.outline.showCodeCells`, which mlnb turns
 * on by default); breadcrumbs and "Go to Symbol in Editor" (Ctrl+Shift+O) list them too.
 */
export function registerStageOutline(peek: PeekKernel): vscode.Disposable {
  const selector: vscode.DocumentSelector = [
    { notebookType: NOTEBOOK_TYPE, language: CELL_LANGUAGE },
    { notebookType: NOTEBOOK_TYPE, language: "typescript" },
  ];
  return vscode.languages.registerDocumentSymbolProvider(
    selector,
    {
      async provideDocumentSymbols(doc) {
        const notebook = vscode.workspace.notebookDocuments.find((nb) => nb.notebookType === NOTEBOOK_TYPE && nb.getCells().some((c) => c.document === doc));
        const plain = cellSymbolOf(doc.getText());
        if (!plain) return [];
        const parents = plain.kind === "stage" && notebook ? (await graphParents(notebook, peek)).get(plain.name) : undefined;
        const symbol = parents ? cellSymbolOf(doc.getText(), parents)! : plain;
        const kind = symbol.kind === "stage" ? vscode.SymbolKind.Function : vscode.SymbolKind.Constant;
        const whole = new vscode.Range(0, 0, doc.lineCount - 1, doc.lineAt(doc.lineCount - 1).text.length);
        const name = new vscode.Range(symbol.line, symbol.nameStart, symbol.line, symbol.nameEnd);
        return [new vscode.DocumentSymbol(symbolName(symbol), symbolDetail(symbol), kind, whole, name)];
      },
    },
    { label: "mlnb stages" },
  );
}
