// Shows the kernel's stage info (name, state, cached, duration) in each stage cell's status bar.
import * as vscode from "vscode";
import { stageLabel } from "./stageLabel.js";

/** Remembers the last stage info of each cell for this session and feeds the cell status bar. */
export class StageStatusProvider implements vscode.NotebookCellStatusBarItemProvider, vscode.Disposable {
  private readonly infos = new Map<string, Record<string, unknown>>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCellStatusBarItems = this.changed.event;

  update(cell: vscode.NotebookCell, info: Record<string, unknown>): void {
    this.infos.set(cell.document.uri.toString(), info);
    this.changed.fire();
  }

  provideCellStatusBarItems(cell: vscode.NotebookCell): vscode.NotebookCellStatusBarItem[] {
    const info = this.infos.get(cell.document.uri.toString());
    const text = info && stageLabel(info);
    if (!text) return [];
    const item = new vscode.NotebookCellStatusBarItem(text, vscode.NotebookCellStatusBarAlignment.Right);
    item.tooltip = JSON.stringify(info, null, 2);
    return [item];
  }

  dispose(): void {
    this.changed.dispose();
  }
}
