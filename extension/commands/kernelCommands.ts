// Commands that ask the kernel which cells to run: stale stages, a stage with its upstream, a cell ignoring the cache.
import * as vscode from "vscode";
import type { MlnbController } from "../controller.js";
import type { KernelManager } from "../kernelManager.js";
import type { StartOptionsFor } from "../controller.js";
import { targetCells, targetNotebook } from "./notebookArg.js";

/**
 * Ask the notebook's kernel a {type:"command"} question. The notebook's cells go along, so the
 * kernel can answer from the code as it is in the editor (unsaved edits included).
 */
async function askKernel(kernels: KernelManager, startOptions: StartOptionsFor, notebook: vscode.NotebookDocument, command: string, args: Record<string, unknown> = {}): Promise<string[] | undefined> {
  const kernel = await kernels.get(notebook.uri.toString(), () => startOptions(notebook));
  if (!kernel.command) throw new Error("this kernel client cannot send commands");
  const cells = notebook.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code).map((c) => ({ cellId: c.document.uri.toString(), code: c.document.getText() }));
  // Rejects with the kernel's message when the command fails or is unknown to it.
  const result = await kernel.command(command, { cells, ...args });
  const ids = (result as { cellIds?: unknown } | undefined)?.cellIds;
  return Array.isArray(ids) ? ids.map(String) : undefined;
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
        if (!ids) throw new Error("the kernel did not answer with cellIds");
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
        if (!ids) throw new Error("the kernel did not answer with cellIds");
        await controller.run(cell.notebook, cellsById(cell.notebook, ids));
      } catch (e) {
        fail("Run Stage With Upstream")(e);
      }
    }),
  ];
}
