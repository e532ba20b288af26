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

/** The provider: the symbol of each mlnb cell, with needs from the running kernel's graph when there is one. */
function stageSymbolProvider(peek: PeekKernel): vscode.DocumentSymbolProvider {
  return {
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
  };
}

/** How long after a notebook change the outline is told to ask for symbols again. */
const REFRESH_MS = 800;

/**
 * After a notebook is shown, when the outline is told again: the Outline view may build its outline
 * of the notebook seconds after the editor shows (on a busy machine), and an outline built after the
 * last provider change never asks for symbols by itself.
 */
const SHOWN_AGAIN_MS = [3000, 10_000, 30_000];

/**
 * Register the symbol provider. VS Code's notebook outline lists a code cell by its first line
 * with the cell's symbols under it (setting `notebook.outline.showCodeCells`, which mlnb turns
 * on by default); breadcrumbs and "Go to Symbol in Editor" list them too. The outline asks a cell
 * for symbols when a symbol provider is (re)registered, not when a cell's text or the stage graph
 * changes, nor when the Outline view builds a new outline for a notebook whose other views already
 * listed its cells: so the provider is registered again, debounced, after those changes, a few
 * times after a notebook is shown, and when the user moves into another cell of a notebook.
 */
export function registerStageOutline(peek: PeekKernel): vscode.Disposable {
  const selector: vscode.DocumentSelector = [
    { notebookType: NOTEBOOK_TYPE, language: CELL_LANGUAGE },
    { notebookType: NOTEBOOK_TYPE, language: "typescript" },
  ];
  const provider = stageSymbolProvider(peek);
  const register = () => vscode.languages.registerDocumentSymbolProvider(selector, provider, { label: "mlnb stages" });
  let registration = register();
  let timer: NodeJS.Timeout | undefined;
  let again: NodeJS.Timeout[] = [];
  const refresh = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      registration.dispose();
      registration = register();
    }, REFRESH_MS);
  };
  const shown = () => {
    refresh();
    for (const t of again) clearTimeout(t);
    again = SHOWN_AGAIN_MS.map((ms) => setTimeout(refresh, ms));
  };
  const ours = (nb: vscode.NotebookDocument | undefined) => nb?.notebookType === NOTEBOOK_TYPE;
  const cellOfOurs = (doc: vscode.TextDocument | undefined) => !!doc && vscode.workspace.notebookDocuments.some((nb) => ours(nb) && nb.getCells().some((c) => c.document === doc));
  let lastCell: vscode.TextDocument | undefined;
  const listeners = [
    // A notebook shown: its outline (built as the editor opens, maybe before this extension's activation, maybe seconds later) asks again.
    vscode.window.onDidChangeActiveNotebookEditor((e) => ours(e?.notebook) && shown()),
    vscode.window.onDidChangeVisibleNotebookEditors((editors) => editors.some((e) => ours(e.notebook)) && shown()),
    // The user moved into another cell: an Outline view opened since then lists the stages too.
    vscode.window.onDidChangeActiveTextEditor((e) => {
      if (e?.document !== lastCell && cellOfOurs(e?.document)) refresh();
      lastCell = e?.document;
    }),
    // A cell edited (its magic line may have changed) or finished (the kernel's graph may know more needs).
    vscode.workspace.onDidChangeNotebookDocument((e) => ours(e.notebook) && (e.contentChanges.length > 0 || e.cellChanges.some((c) => c.document || c.executionSummary)) && refresh()),
  ];
  if (vscode.window.visibleNotebookEditors.some((e) => ours(e.notebook))) shown();
  return new vscode.Disposable(() => {
    clearTimeout(timer);
    for (const t of again) clearTimeout(t);
    registration.dispose();
    for (const l of listeners) l.dispose();
  });
}
