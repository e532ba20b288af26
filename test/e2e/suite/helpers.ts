// Helpers for the tests that run inside VS Code's extension host: open, run and read notebooks through real commands.
import * as vscode from "vscode";
import { ERROR_MIME } from "../../../kernel/protocol.js";

export const EXTENSION_ID = "mlnb.mlnb";
export const CONTROLLER_ID = "mlnb-kernel";
/** The language of mlnb code cells in VS Code (the files say "typescript"). */
export const CELL_LANGUAGE = "mlnb-typescript";

/** The workspace folder the runner prepared (a scratch copy of the notebooks). */
export function workspaceUri(...parts: string[]): vscode.Uri {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!root) throw new Error("the e2e tests need a workspace folder");
  return vscode.Uri.joinPath(root, ...parts);
}

export async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Poll until `check` returns a truthy value; fail with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Wait until an async check holds (polls every 200 ms). */
export async function waitForAsync(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Open a notebook in an editor and select the mlnb controller for it, as a user picking the kernel would. */
export async function openNotebook(uriOrDoc: vscode.Uri | vscode.NotebookDocument): Promise<vscode.NotebookEditor> {
  const doc = uriOrDoc instanceof vscode.Uri ? await vscode.workspace.openNotebookDocument(uriOrDoc) : uriOrDoc;
  const editor = await vscode.window.showNotebookDocument(doc);
  await vscode.commands.executeCommand("notebook.selectKernel", { notebookEditor: editor, id: CONTROLLER_ID, extension: EXTENSION_ID });
  return editor;
}

/** An untitled mlnb notebook with the given code cells, opened in an editor. */
export async function scratchNotebook(...sources: string[]): Promise<vscode.NotebookEditor> {
  const cells = sources.map((s) => new vscode.NotebookCellData(vscode.NotebookCellKind.Code, s, CELL_LANGUAGE));
  const doc = await vscode.workspace.openNotebookDocument("mlnb", new vscode.NotebookData(cells));
  return openNotebook(doc);
}

function endTime(cell: vscode.NotebookCell): number {
  return cell.executionSummary?.timing?.endTime ?? 0;
}

/** Run one cell through VS Code's own command and wait until its execution ends. */
export async function runCell(cell: vscode.NotebookCell, timeoutMs = 60_000): Promise<vscode.NotebookCell> {
  const before = endTime(cell);
  await vscode.commands.executeCommand("notebook.cell.execute", { ranges: [{ start: cell.index, end: cell.index + 1 }], document: cell.notebook.uri });
  await waitFor(`cell ${cell.index} to finish`, () => endTime(cell) > before, timeoutMs);
  return cell;
}

/**
 * "Run All" and wait until every code cell has finished. A failing cell stops the run (the rest
 * are skipped, as in Jupyter), so that is reported at once with the cell's error.
 */
export async function runAll(notebook: vscode.NotebookDocument, timeoutMs = 240_000): Promise<vscode.NotebookCell[]> {
  const code = notebook.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);
  const before = new Map(code.map((c) => [c, endTime(c)]));
  await vscode.commands.executeCommand("notebook.execute", notebook.uri);
  await waitFor(
    "all cells to run",
    () => {
      const failed = code.find((c) => endTime(c) > before.get(c)! && c.executionSummary?.success === false);
      if (failed) throw new Error(`cell ${failed.index} failed:\n${failed.document.getText().slice(0, 200)}\n---\n${outputText(failed)}`);
      return code.every((c) => endTime(c) > before.get(c)!);
    },
    timeoutMs,
  );
  return code;
}

const decoder = new TextDecoder();

/** All text of a cell's outputs (streams, text/plain, error name and message), in order. */
export function outputText(cell: vscode.NotebookCell): string {
  return cell.outputs
    .flatMap((o) => o.items)
    .filter((i) => i.mime.startsWith("application/vnd.code.notebook.std") || i.mime === "text/plain" || i.mime === ERROR_MIME)
    .map((i) => decoder.decode(i.data))
    .join("\n");
}

/** The mime types of a cell's outputs, per output. */
export function outputMimes(cell: vscode.NotebookCell): string[][] {
  return cell.outputs.map((o) => o.items.map((i) => i.mime));
}

/** The error a cell showed, parsed, if any. */
export function cellError(cell: vscode.NotebookCell): { name: string; message: string; stack?: string } | undefined {
  for (const o of cell.outputs) for (const i of o.items) if (i.mime === ERROR_MIME) return JSON.parse(decoder.decode(i.data));
  return undefined;
}

/** A cell's diagnostics of error severity, from every source (VS Code's TypeScript service, mlnb...). */
export function cellErrors(cell: vscode.NotebookCell): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(cell.document.uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Close all editors, reverting unsaved ones (a save prompt would block the test), so one test's notebook does not leak into the next. */
export async function closeAll(): Promise<void> {
  for (let i = 0; i < 20 && vscode.window.tabGroups.all.some((g) => g.tabs.length > 0); i++) {
    await vscode.commands.executeCommand("workbench.action.revertAndCloseActiveEditor");
  }
}
