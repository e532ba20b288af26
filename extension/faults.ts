// Places errors that escaped a finished cell (a throw in a timer): on the cell that scheduled it, else on the next cell run.
import * as vscode from "vscode";
import type { ErrorInfo, Reply } from "../kernel/protocol.js";
import type { KernelConnection } from "./kernel.js";
import { errorItem } from "./outputs.js";
import { toCellOutput } from "./serializer.js";

type Fault = Extract<Reply, { type: "fault" }>;

/** Remembers which cell each execution id ran, and shows a kernel's faults there. */
export class FaultPlacer {
  private readonly cells = new Map<string, vscode.NotebookCell>();
  private readonly pending = new Map<string, ErrorInfo[]>();
  private readonly watched = new WeakSet<KernelConnection>();

  constructor(private readonly controller: () => vscode.NotebookController) {}

  /** Listen to a notebook's kernel for faults (once per kernel). */
  watch(kernel: KernelConnection, notebook: vscode.NotebookDocument): void {
    if (this.watched.has(kernel)) return;
    this.watched.add(kernel);
    kernel.on("fault", (fault) => void this.place(notebook, fault));
  }

  /** The kernel's execution `id` ran `cell`. */
  noteExecution(id: string, cell: vscode.NotebookCell): void {
    this.cells.set(id, cell);
    if (this.cells.size > 2000) this.cells.delete(this.cells.keys().next().value!);
  }

  /** Faults not placed on their own cell, to show on the next cell of this notebook that runs. */
  takePending(notebook: vscode.NotebookDocument): vscode.NotebookCellOutput[] {
    const key = notebook.uri.toString();
    const errors = this.pending.get(key) ?? [];
    this.pending.delete(key);
    return errors.map(errorOutput);
  }

  private async place(notebook: vscode.NotebookDocument, fault: Fault): Promise<void> {
    const cell = fault.id ? this.cells.get(fault.id) : undefined;
    if (cell && !cell.notebook.isClosed && cell.index >= 0) {
      try {
        // A short execution of its own appends the error under the cell's other outputs.
        const execution = this.controller().createNotebookCellExecution(cell);
        execution.start(Date.now());
        await execution.appendOutput(errorOutput(fault.error));
        execution.end(false, Date.now());
        return;
      } catch {
        // The cell is queued or running again: fall through to the next cell run.
      }
    }
    const key = notebook.uri.toString();
    this.pending.set(key, [...(this.pending.get(key) ?? []), fault.error]);
  }
}

function errorOutput(error: ErrorInfo): vscode.NotebookCellOutput {
  return toCellOutput({ items: [errorItem(error)], metadata: { outputType: "error" } });
}
