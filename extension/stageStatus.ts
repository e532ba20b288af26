// Shows each stage cell's name, state (fresh, cached, stale, failed, running) and duration in its status bar.
import * as vscode from "vscode";
import { labelsFromSnapshot } from "./stageLabel.js";

/** Keeps the kernel's latest stage snapshot of every notebook and feeds the cell status bar. */
export class StageStatusProvider implements vscode.NotebookCellStatusBarItemProvider, vscode.Disposable {
  /** Notebook URI -> cell document URI -> label. */
  private readonly labels = new Map<string, Map<string, string>>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCellStatusBarItems = this.changed.event;

  /** Take a snapshot (from a stage reply or a sync result) for a notebook. */
  update(notebook: vscode.NotebookDocument, snapshot: unknown): void {
    const labels = labelsFromSnapshot(snapshot);
    if (labels.size === 0 && !(snapshot as { stages?: unknown })?.stages) return;
    this.labels.set(notebook.uri.toString(), labels);
    this.changed.fire();
  }

  /** The labels shown for a notebook's cells (cell URI -> text); the e2e tests read them. */
  labelsOf(notebookUri: string): Record<string, string> {
    return Object.fromEntries(this.labels.get(notebookUri) ?? []);
  }

  /** Forget a closed notebook. */
  forget(notebook: vscode.NotebookDocument): void {
    this.labels.delete(notebook.uri.toString());
  }

  provideCellStatusBarItems(cell: vscode.NotebookCell): vscode.NotebookCellStatusBarItem[] {
    const text = this.labels.get(cell.notebook.uri.toString())?.get(cell.document.uri.toString());
    if (!text) return [];
    const item = new vscode.NotebookCellStatusBarItem(text, vscode.NotebookCellStatusBarAlignment.Left);
    item.tooltip = "mlnb stage: state in this kernel session (stale after an edit upstream; run stale stages to refresh)";
    return [item];
  }

  dispose(): void {
    this.changed.dispose();
  }
}
