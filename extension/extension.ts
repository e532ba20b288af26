// Extension entry point: wires the serializer, controller, kernels, commands and status bar together (no logic here).
import * as vscode from "vscode";
import { CellDiagnostics } from "./cellDiagnostics.js";
import { registerCliCommands } from "./commands/cli.js";
import { registerKernelCommands, setSnapshotListener, syncNotebook } from "./commands/kernelCommands.js";
import { registerNewNotebook } from "./commands/newNotebook.js";
import { registerRestartKernel } from "./commands/restartKernel.js";
import { MlnbController, notebookFolder } from "./controller.js";
import type { KernelStartOptions } from "./kernel.js";
import { createKernelFactory } from "./kernelFactory.js";
import { KernelManager } from "./kernelManager.js";
import { createCheckSocket } from "./language/checkSocket.js";
import { registerLanguageFeatures, watchLocalModules } from "./language/providers.js";
import { resolveNodeCommand } from "./nodePath.js";
import { registerStageOutline } from "./outline.js";
import { MlnbSerializer, NOTEBOOK_TYPE } from "./serializer.js";
import { StageStatusProvider } from "./stageStatus.js";
import { registerTerminalPath } from "./terminalPath.js";
import { KernelStatusItem, VariablesView } from "./views/variables.js";
import { registerViews } from "./views/register.js";
import type { Reply, TypeCheckMode } from "../kernel/protocol.js";

let kernels: KernelManager | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel("mlnb", { log: true });
  const node = () => resolveNodeCommand(vscode.workspace.getConfiguration("mlnb").get<string>("nodePath"), process.env.PATH, process.execPath);
  // Kernels check their cells on the language server's TypeScript, warm since the notebook opened.
  const checks = createCheckSocket();
  const langNode = () => {
    const runtime = node();
    return { ...runtime, env: { ...runtime.env, ...checks.env } };
  };
  const startOptions = (notebook: vscode.NotebookDocument): KernelStartOptions => {
    const config = vscode.workspace.getConfiguration("mlnb", notebook.uri);
    const runtime = node();
    const storePath = config.get<string>("storePath")?.trim();
    log.info(`starting kernel for ${notebook.uri.toString()} with ${runtime.nodePath} (${runtime.source})`);
    return {
      notebookPath: pathOf(notebook),
      nodePath: runtime.nodePath,
      env: { ...runtime.env, ...checks.env, ...(storePath ? { MLNB_STORE: storePath } : {}) },
      typeCheck: config.get<TypeCheckMode>("typeCheck", "warn"),
    };
  };
  const pathOf = (nb: vscode.NotebookDocument) => (nb.uri.scheme === "file" ? nb.uri.fsPath : `${notebookFolder(nb)}/untitled.mlnb`);
  const kernelStatus = new KernelStatusItem(pathOf);
  const factory = createKernelFactory(context.extensionPath);
  // Every kernel's busy/idle replies reach the status bar.
  const watchedFactory: typeof factory = async (options) => {
    const kernel = await factory(options);
    const events = kernel as unknown as { on(event: "reply", listener: (r: Reply) => void): unknown };
    events.on("reply", (r) => r.type === "status" && kernelStatus.set(options.notebookPath, r.state));
    kernel.on("exit", () => kernelStatus.set(options.notebookPath, "gone"));
    kernelStatus.set(options.notebookPath, "idle");
    return kernel;
  };
  kernels = new KernelManager(watchedFactory, {
    onExit: (key, code, signal, expected) => {
      if (expected) return log.info(`kernel of ${key} shut down`);
      log.warn(`kernel of ${key} exited (code ${code}, signal ${signal}); the next run starts a new one`);
    },
  });
  const stages = new StageStatusProvider();
  const variables = new VariablesView(kernels);
  const diagnostics = new CellDiagnostics();
  const manager = kernels;
  // The controller is created below (it feeds the views); Load Into Kernel shows restored outputs through it.
  const views = registerViews(context, {
    get: (nb) => manager.get(nb.uri.toString(), () => startOptions(nb)),
    peek: (nb) => manager.peek(nb.uri.toString()),
    showRestored: (cell, replies) => controller.showRestored(cell, replies),
  });
  const controller = new MlnbController(kernels, startOptions, (notebook, info) => (stages.update(notebook, info), views.update(notebook, info)), diagnostics);
  setSnapshotListener((notebook, snapshot) => (stages.update(notebook, snapshot), views.update(notebook, snapshot)));
  // Edits reach a running kernel (debounced): an edited stage and its dependents show "stale" at once.
  const pending = new Map<string, NodeJS.Timeout>();
  const syncSoon = (notebook: vscode.NotebookDocument) => {
    const key = notebook.uri.toString();
    clearTimeout(pending.get(key));
    pending.set(key, setTimeout(() => {
      pending.delete(key);
      void manager.peek(key)?.then((kernel) => syncNotebook(kernel, notebook)).catch((e: Error) => log.warn(`sync after edit failed: ${e.message}`));
    }, 300));
  };

  context.subscriptions.push(
    log,
    vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new MlnbSerializer(), { transientOutputs: false }),
    controller,
    diagnostics,
    stages,
    views,
    vscode.notebooks.registerNotebookCellStatusBarItemProvider(NOTEBOOK_TYPE, stages),
    vscode.workspace.onDidCloseNotebookDocument((nb) => {
      if (nb.notebookType !== NOTEBOOK_TYPE) return;
      stages.forget(nb);
      void manager.shutdown(nb.uri.toString());
    }),
    vscode.workspace.onDidChangeNotebookDocument((e) => {
      if (e.notebook.notebookType === NOTEBOOK_TYPE && (e.contentChanges.length > 0 || e.cellChanges.some((c) => c.document))) syncSoon(e.notebook);
    }),
    // A local module (helpers.ts) edited: running kernels re-check which stages import it (their status bars go stale).
    ...watchLocalModules((uri) => {
      for (const nb of vscode.workspace.notebookDocuments) if (nb.notebookType === NOTEBOOK_TYPE && uri.fsPath.startsWith(notebookFolder(nb))) syncSoon(nb);
    }),
    vscode.workspace.onDidOpenNotebookDocument((nb) => {
      // Pick our controller for .mlnb files so Run works without the kernel picker.
      if (nb.notebookType === NOTEBOOK_TYPE) controller.controller.updateNotebookAffinity(nb, vscode.NotebookControllerAffinity.Preferred);
    }),
    kernelStatus,
    variables,
    vscode.window.registerTreeDataProvider("mlnb.variables", variables),
    vscode.window.onDidChangeActiveNotebookEditor(() => {
      kernelStatus.render();
      void variables.refresh();
    }),
    // A cell finished (its execution summary changed): the variables view asks the kernel again.
    vscode.workspace.onDidChangeNotebookDocument((e) => {
      if (e.notebook.notebookType === NOTEBOOK_TYPE && e.cellChanges.some((c) => c.executionSummary?.timing?.endTime)) void variables.refresh(e.notebook);
    }),
    vscode.commands.registerCommand("mlnb.variableNames", async () => (await variables.refresh(), variables.names())),
    vscode.commands.registerCommand("mlnb.kernelStatusText", () => kernelStatus.text),
    // Not in the palette: lets tests (and other extensions) read what the status bars show.
    // Not in the palette either: which heavy parts the notebook's kernel loaded, and where it checks cells.
    vscode.commands.registerCommand("mlnb.kernelLoaded", async (uri?: vscode.Uri) => {
      const key = (uri ?? vscode.window.activeNotebookEditor?.notebook.uri)?.toString();
      const kernel = key ? await manager.peek(key) : undefined;
      return kernel?.command?.("loaded");
    }),
    vscode.commands.registerCommand("mlnb.stageLabels", (uri?: vscode.Uri) => stages.labelsOf((uri ?? vscode.window.activeNotebookEditor?.notebook.uri)?.toString() ?? "")),
    registerRestartKernel(kernels, startOptions),
    registerNewNotebook(),
    ...registerKernelCommands(controller, kernels, startOptions),
    ...registerCliCommands(context.extensionPath, node),
    ...registerLanguageFeatures(context.extensionPath, langNode, log),
    checks,
    ...registerTerminalPath(context, node, log),
    registerStageOutline((nb) => manager.peek(nb.uri.toString())),
  );
  for (const nb of vscode.workspace.notebookDocuments) {
    if (nb.notebookType === NOTEBOOK_TYPE) controller.controller.updateNotebookAffinity(nb, vscode.NotebookControllerAffinity.Preferred);
  }
}

export async function deactivate(): Promise<void> {
  await kernels?.shutdownAll();
}
