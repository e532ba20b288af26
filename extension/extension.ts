// Extension entry point: wires the serializer, controller, kernels, commands and status bar together (no logic here).
import * as vscode from "vscode";
import { CellDiagnostics } from "./cellDiagnostics.js";
import { registerCliCommands } from "./commands/cli.js";
import { registerKernelCommands } from "./commands/kernelCommands.js";
import { registerNewNotebook } from "./commands/newNotebook.js";
import { registerRestartKernel } from "./commands/restartKernel.js";
import { MlnbController, notebookFolder } from "./controller.js";
import type { KernelStartOptions } from "./kernel.js";
import { createKernelFactory } from "./kernelFactory.js";
import { KernelManager } from "./kernelManager.js";
import { resolveNodeCommand } from "./nodePath.js";
import { MlnbSerializer, NOTEBOOK_TYPE } from "./serializer.js";
import { StageStatusProvider } from "./stageStatus.js";
import type { TypeCheckMode } from "../kernel/protocol.js";

let kernels: KernelManager | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel("mlnb", { log: true });
  const node = () => resolveNodeCommand(vscode.workspace.getConfiguration("mlnb").get<string>("nodePath"), process.env.PATH, process.execPath);
  const startOptions = (notebook: vscode.NotebookDocument): KernelStartOptions => {
    const config = vscode.workspace.getConfiguration("mlnb", notebook.uri);
    const runtime = node();
    const storePath = config.get<string>("storePath")?.trim();
    log.info(`starting kernel for ${notebook.uri.toString()} with ${runtime.nodePath} (${runtime.source})`);
    return {
      notebookPath: notebook.uri.scheme === "file" ? notebook.uri.fsPath : `${notebookFolder(notebook)}/untitled.mlnb`,
      nodePath: runtime.nodePath,
      env: { ...runtime.env, ...(storePath ? { MLNB_STORE: storePath } : {}) },
      typeCheck: config.get<TypeCheckMode>("typeCheck", "error"),
    };
  };
  kernels = new KernelManager(createKernelFactory(context.extensionPath), {
    onExit: (key, code, signal, expected) => {
      if (expected) return log.info(`kernel of ${key} shut down`);
      log.warn(`kernel of ${key} exited (code ${code}, signal ${signal}); the next run starts a new one`);
    },
  });
  const stages = new StageStatusProvider();
  const diagnostics = new CellDiagnostics();
  const controller = new MlnbController(kernels, startOptions, (cell, info) => stages.update(cell, info), diagnostics);
  const manager = kernels;

  context.subscriptions.push(
    log,
    vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new MlnbSerializer(), { transientOutputs: false }),
    controller,
    diagnostics,
    stages,
    vscode.notebooks.registerNotebookCellStatusBarItemProvider(NOTEBOOK_TYPE, stages),
    vscode.workspace.onDidCloseNotebookDocument((nb) => {
      if (nb.notebookType === NOTEBOOK_TYPE) void manager.shutdown(nb.uri.toString());
    }),
    vscode.workspace.onDidOpenNotebookDocument((nb) => {
      // Pick our controller for .mlnb files so Run works without the kernel picker.
      if (nb.notebookType === NOTEBOOK_TYPE) controller.controller.updateNotebookAffinity(nb, vscode.NotebookControllerAffinity.Preferred);
    }),
    registerRestartKernel(kernels, startOptions),
    registerNewNotebook(),
    ...registerKernelCommands(controller, kernels, startOptions),
    ...registerCliCommands(context.extensionPath, node),
  );
  for (const nb of vscode.workspace.notebookDocuments) {
    if (nb.notebookType === NOTEBOOK_TYPE) controller.controller.updateNotebookAffinity(nb, vscode.NotebookControllerAffinity.Preferred);
  }
}

export async function deactivate(): Promise<void> {
  await kernels?.shutdownAll();
}
