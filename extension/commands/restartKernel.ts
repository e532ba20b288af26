// The "mlnb: Restart Kernel" command.
import * as vscode from "vscode";
import type { StartOptionsFor } from "../controller.js";
import type { KernelManager } from "../kernelManager.js";
import { syncNotebook } from "./kernelCommands.js";
import { targetNotebook } from "./notebookArg.js";

/** Register Restart Kernel: stops the notebook's kernel and starts a fresh one (variables and counters reset). */
export function registerRestartKernel(kernels: KernelManager, startOptions: StartOptionsFor): vscode.Disposable {
  return vscode.commands.registerCommand("mlnb.restartKernel", async (arg?: unknown) => {
    const notebook = targetNotebook(arg);
    if (!notebook) return;
    if (!vscode.workspace.isTrusted) return void vscode.window.showWarningMessage("mlnb: the kernel does not run in an untrusted workspace.");
    try {
      const kernel = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: "mlnb: restarting kernel" }, () =>
        kernels.restart(notebook.uri.toString(), () => startOptions(notebook)),
      );
      // The fresh kernel learns the notebook, so stage status bars say which stages it can restore.
      void syncNotebook(kernel, notebook).catch(() => undefined);
      void vscode.window.setStatusBarMessage("mlnb: kernel restarted", 3000);
    } catch (e) {
      void vscode.window.showErrorMessage(`mlnb: the kernel did not restart: ${(e as Error).message}`);
    }
  });
}
