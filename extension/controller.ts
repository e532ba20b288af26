// The notebook controller: an adapter from VS Code cell executions to the notebook's kernel (queue, one execution per cell).
import * as vscode from "vscode";
import { dirname } from "node:path";
import type { ExecuteOptions, Reply, TypeCheckMode } from "../kernel/protocol.js";
import type { CellDiagnostics } from "./cellDiagnostics.js";
import { syncNotebook } from "./commands/kernelCommands.js";
import type { KernelStartOptions } from "./kernel.js";
import type { KernelManager } from "./kernelManager.js";
import { CELL_LANGUAGE } from "./notebookData.js";
import { CellOutputState, type OutputOp } from "./outputState.js";
import { DEFAULT_OUTPUT_CAP_BYTES } from "../kernel/notebook/outputCap.js";
import { FaultPlacer } from "./faults.js";
import { errorItem } from "./outputs.js";
import { NOTEBOOK_TYPE, toCellOutput } from "./serializer.js";

export const CONTROLLER_ID = "mlnb-kernel";

/** How long an interrupt may take before VS Code offers to restart the kernel. */
export const INTERRUPT_ESCALATION_MS = 3000;

/** Kernel start options for a notebook, read from settings when a kernel is started. */
export type StartOptionsFor = (notebook: vscode.NotebookDocument) => KernelStartOptions;

/** Stage info from the kernel (with the whole notebook's stage snapshot), for the cells' status bars. */
export type StageListener = (notebook: vscode.NotebookDocument, info: Record<string, unknown>) => void;

/** Runs cells of .mlnb notebooks, in order, one notebook's cells at a time, in that notebook's kernel. */
export class MlnbController implements vscode.Disposable {
  readonly controller: vscode.NotebookController;
  private readonly queues = new Map<string, Promise<void>>();
  private readonly faults = new FaultPlacer(() => this.controller);

  constructor(
    private readonly kernels: KernelManager,
    private readonly startOptions: StartOptionsFor,
    private readonly onStage: StageListener = () => {},
    private readonly diagnostics?: CellDiagnostics,
  ) {
    this.controller = vscode.notebooks.createNotebookController(CONTROLLER_ID, NOTEBOOK_TYPE, "MLNB Kernel");
    // The first is the language VS Code gives new code cells; plain "typescript" cells (from other tools) run too.
    this.controller.supportedLanguages = [CELL_LANGUAGE, "typescript"];
    this.controller.supportsExecutionOrder = true;
    this.controller.description = "TypeScript pipeline stages in a Node kernel";
    this.controller.executeHandler = (cells, notebook) => this.run(notebook, cells);
  }

  /**
   * Queue cells of a notebook. Every cell gets its execution now (so it shows as pending) and
   * is run after the cells queued before it; after a failed cell the rest of the batch is skipped,
   * as in Jupyter's "run all".
   */
  run(notebook: vscode.NotebookDocument, cells: readonly vscode.NotebookCell[], extra: ExecuteOptions = {}): Promise<void> {
    const executions = cells
      .filter((c) => c.kind === vscode.NotebookCellKind.Code)
      .map((cell) => ({ cell, execution: this.controller.createNotebookCellExecution(cell) }));
    const key = notebook.uri.toString();
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.runBatch(notebook, executions, extra));
    const tail = next.catch(() => {});
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return next;
  }

  private async runBatch(notebook: vscode.NotebookDocument, batch: { cell: vscode.NotebookCell; execution: vscode.NotebookCellExecution }[], extra: ExecuteOptions): Promise<void> {
    let skipRest = false;
    for (const { cell, execution } of batch) {
      if (skipRest || execution.token.isCancellationRequested) {
        // Never started: ending without start leaves the cell as it was.
        execution.end(undefined);
        continue;
      }
      const ok = await this.runCell(notebook, cell, execution, extra);
      if (!ok) skipRest = true;
    }
  }

  private async runCell(notebook: vscode.NotebookDocument, cell: vscode.NotebookCell, execution: vscode.NotebookCellExecution, extra: ExecuteOptions): Promise<boolean> {
    execution.start(Date.now());
    this.diagnostics?.clear(cell);
    let success = false;
    const shown: vscode.NotebookCellOutput[] = [];
    let outputs: Promise<unknown> = Promise.resolve(execution.clearOutput());
    const show = (work: () => Thenable<void>) => {
      // Output edits are async; chaining keeps them in reply order.
      outputs = outputs.then(work, work) as Promise<unknown>;
    };
    let cancel: vscode.Disposable | undefined;
    try {
      if (!vscode.workspace.isTrusted) {
        show(() => execution.appendOutput(toCellOutput({ items: [errorItem({ name: "UntrustedWorkspace", message: "mlnb runs no cell in an untrusted workspace. Trust the folder to run this notebook." })], metadata: { outputType: "error" } })));
        return false;
      }
      const options = this.startOptions(notebook);
      const kernel = await this.kernels.get(notebook.uri.toString(), () => options);
      // The kernel learns the whole notebook first, so stage staleness covers cells not run yet.
      await syncNotebook(kernel, notebook).catch((e: Error) => console.warn(`mlnb: notebook sync failed: ${e.message}`));
      this.faults.watch(kernel, notebook);
      // Errors that escaped an earlier cell and found no place of their own show here first.
      for (const output of this.faults.takePending(notebook)) show(() => execution.appendOutput(output));
      let finished = false;
      cancel = execution.token.onCancellationRequested(() => {
        kernel.interrupt();
        setTimeout(() => {
          if (!finished) void offerRestart(notebook, cell, () => finished);
        }, INTERRUPT_ESCALATION_MS);
      });
      if (execution.token.isCancellationRequested) return false;
      const maxBytes = vscode.workspace.getConfiguration("mlnb", notebook.uri).get<number>("output.maxBytes", DEFAULT_OUTPUT_CAP_BYTES);
      const state = new CellOutputState({ capBytes: maxBytes > 0 ? maxBytes : DEFAULT_OUTPUT_CAP_BYTES });
      let noted = false;
      const onReply = (reply: Reply) => {
        if (!noted && "id" in reply && reply.id) {
          noted = true;
          this.faults.noteExecution(reply.id, cell);
        }
        if (reply.type === "stage") this.onStage(notebook, reply.info);
        if (reply.type === "error") this.diagnostics?.show(cell, reply.error);
        for (const op of [state.apply(reply), state.note()]) if (op) show(() => applyOp(execution, shown, op));
      };
      const typeCheck = vscode.workspace.getConfiguration("mlnb", notebook.uri).get<TypeCheckMode>("typeCheck", "warn");
      const outcome = await kernel.execute(cell.document.getText(), { cellId: cell.document.uri.toString(), options: { typeCheck, ...extra } }, onReply).finally(() => (finished = true));
      const note = state.note(true);
      if (note) show(() => applyOp(execution, shown, note));
      execution.executionOrder = outcome.executionCount;
      success = outcome.status === "ok";
      return success;
    } catch (e) {
      const err = e as Error;
      // A kernel that cannot start says what to install; its message is the whole story (no stack).
      const stack = err.name === "KernelStartError" ? undefined : err.stack;
      show(() => execution.appendOutput(toCellOutput({ items: [errorItem({ name: err.name || "Error", message: `The kernel could not run this cell: ${err.message}`, stack })], metadata: { outputType: "error" } })));
      return false;
    } finally {
      cancel?.dispose();
      await outputs.catch(() => {});
      execution.end(success, Date.now());
    }
  }

  /**
   * Show outputs the kernel restored without running the cell (Load Into Kernel): one execution
   * replaces the cell's outputs, folded from replies as a run's would be, and ends as a success.
   */
  async showRestored(cell: vscode.NotebookCell, replies: readonly Reply[]): Promise<void> {
    const execution = this.controller.createNotebookCellExecution(cell);
    execution.start(Date.now());
    try {
      const state = new CellOutputState();
      for (const reply of replies) state.apply(reply);
      await execution.replaceOutput(state.outputs.map(toCellOutput));
    } finally {
      execution.end(true, Date.now());
    }
  }

  dispose(): void {
    this.controller.dispose();
  }
}

/**
 * The interrupt did not stop the cell (code outside cell loops: a regex, a native sort, a loop
 * in an imported module): offer what Jupyter offers, restarting the kernel.
 */
async function offerRestart(notebook: vscode.NotebookDocument, cell: vscode.NotebookCell, stopped: () => boolean): Promise<void> {
  const restart = "Restart Kernel";
  const choice = await vscode.window.showWarningMessage(
    `mlnb: cell ${cell.index + 1} did not stop within ${INTERRUPT_ESCALATION_MS / 1000} s of the interrupt (it may be busy outside a loop of the cell, in a regex, a sort or an imported module). Restart the kernel? Its variables will be lost.`,
    restart,
  );
  if (choice === restart && !stopped()) await vscode.commands.executeCommand("mlnb.restartKernel", { notebook });
}

/** Mirror one output operation in VS Code. */
async function applyOp(execution: vscode.NotebookCellExecution, shown: vscode.NotebookCellOutput[], op: OutputOp): Promise<void> {
  switch (op.op) {
    case "append": {
      const output = toCellOutput(op.output);
      shown.push(output);
      await execution.appendOutput(output);
      return;
    }
    case "appendItems":
      await execution.appendOutputItems(op.items.map((i) => new vscode.NotebookCellOutputItem(i.data, i.mime)), shown[op.index]);
      return;
    case "replaceItems":
      await execution.replaceOutputItems(op.output.items.map((i) => new vscode.NotebookCellOutputItem(i.data, i.mime)), shown[op.index]);
      return;
  }
}

/** The folder a notebook's kernel runs in (its file's folder; the workspace for untitled ones). */
export function notebookFolder(notebook: vscode.NotebookDocument): string {
  if (notebook.uri.scheme === "file") return dirname(notebook.uri.fsPath);
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
}
