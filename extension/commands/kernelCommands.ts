// Commands that ask the kernel which cells to run: stale stages, a stage with its upstream, a cell ignoring the cache.
import * as vscode from "vscode";
import type { MlnbController } from "../controller.js";
import type { KernelConnection } from "../kernel.js";
import type { KernelManager } from "../kernelManager.js";
import type { StartOptionsFor } from "../controller.js";
import { targetCells, targetNotebook } from "./notebookArg.js";

/** Listens to the stage snapshot every sync returns. */
let onSnapshot: (notebook: vscode.NotebookDocument, snapshot: unknown) => void = () => {};

/** Set where sync results go (the stage status bar). */
export function setSnapshotListener(listener: (notebook: vscode.NotebookDocument, snapshot: unknown) => void): void {
  onSnapshot = listener;
}

/** Hand a stage snapshot the kernel returned (a sync, Load Into Kernel) to the status bars and views. */
export function notifySnapshot(notebook: vscode.NotebookDocument, snapshot: unknown): void {
  onSnapshot(notebook, snapshot);
}

/**
 * Tell the kernel the notebook's code cells as they are in the editor (unsaved edits included), so
 * its stage graph is current; an edited stage and its dependents become stale. Returns the kernel's
 * stage snapshot (also handed to the snapshot listener).
 */
export async function syncNotebook(kernel: KernelConnection, notebook: vscode.NotebookDocument): Promise<unknown> {
  if (!kernel.command) return undefined;
  const cells = notebook.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code).map((c) => ({ id: c.document.uri.toString(), source: c.document.getText() }));
  const snapshot = await kernel.command("sync", { cells });
  onSnapshot(notebook, snapshot);
  return snapshot;
}

/** Ask the notebook's kernel which cells to run (`staleCells`, `upstreamCells`), after a sync. */
async function askKernel(kernels: KernelManager, startOptions: StartOptionsFor, notebook: vscode.NotebookDocument, command: string, args: Record<string, unknown> = {}): Promise<string[]> {
  const kernel = await kernels.get(notebook.uri.toString(), () => startOptions(notebook));
  if (!kernel.command) throw new Error("this kernel client cannot send commands");
  await syncNotebook(kernel, notebook);
  // Rejects with the kernel's message when the command fails (an unknown stage, say).
  const result = await kernel.command(command, args);
  const ids = Array.isArray(result) ? result : (result as { cellIds?: unknown } | undefined)?.cellIds;
  if (!Array.isArray(ids)) throw new Error(`the kernel answered ${command} with ${JSON.stringify(result)?.slice(0, 100)}, not a list of cells`);
  return ids.map(String);
}

/** Cells of the notebook with the given ids, in notebook order. */
function cellsById(notebook: vscode.NotebookDocument, ids: string[]): vscode.NotebookCell[] {
  const wanted = new Set(ids);
  return notebook.getCells().filter((c) => wanted.has(c.document.uri.toString()));
}

/** Register the three stage-aware run commands. */
export function registerKernelCommands(controller: MlnbController, kernels: KernelManager, startOptions: StartOptionsFor): vscode.Disposable[] {
  const fail = (what: string) => (e: unknown) => void vscode.window.showErrorMessage(`mlnb: ${what}: ${(e as Error).message}`);
  return [
    vscode.commands.registerCommand("mlnb.runCellIgnoringCache", async (arg?: unknown) => {
      const cells = targetCells(arg);
      if (cells.length === 0) return void vscode.window.showWarningMessage("mlnb: select a cell to run.");
      await controller.run(cells[0].notebook, cells, { noCache: true });
    }),
    vscode.commands.registerCommand("mlnb.runStaleStages", async (arg?: unknown) => {
      const notebook = targetNotebook(arg);
      if (!notebook) return;
      try {
        const ids = await askKernel(kernels, startOptions, notebook, "staleCells");
        if (ids.length === 0) return void vscode.window.showInformationMessage("mlnb: no stage is stale.");
        await controller.run(notebook, cellsById(notebook, ids));
      } catch (e) {
        fail("Run Stale Stages")(e);
      }
    }),
    vscode.commands.registerCommand("mlnb.runStageWithUpstream", async (arg?: unknown) => {
      const [cell] = targetCells(arg);
      if (!cell) return void vscode.window.showWarningMessage("mlnb: select a stage cell.");
      try {
        const ids = await askKernel(kernels, startOptions, cell.notebook, "upstreamCells", { cellId: cell.document.uri.toString() });
        await controller.run(cell.notebook, cellsById(cell.notebook, ids));
      } catch (e) {
        fail("Run Stage With Upstream")(e);
      }
    }),
  ];
}
