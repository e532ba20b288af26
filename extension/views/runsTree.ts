// The Runs view: a tree of the active notebook's runs (newest first) > stages > outputs, metrics and params, read from the run store through the kernel.
import * as vscode from "vscode";
import type { RunDetail, RunSummary, StageRunDetail, OutputRecord } from "../../kernel/stages/store/types.js";
import { latestStageRuns } from "../../kernel/stages/store/history.js";
import { formatValue, outputItemText, runItemText, stageItemText } from "../../kernel/views/runsModel.js";
import { NOTEBOOK_TYPE } from "../serializer.js";
import type { KernelCommand } from "./graphPanel.js";

export type RunsNode =
  | { kind: "run"; notebook: vscode.NotebookDocument; run: RunSummary }
  | { kind: "stage"; notebook: vscode.NotebookDocument; runId: number; stageRun: StageRunDetail }
  | { kind: "output"; notebook: vscode.NotebookDocument; runId: number; stageRun: StageRunDetail; output: OutputRecord }
  | { kind: "value"; label: string; description: string; icon: string };

/** Tree data for the Runs view, following the active (or last active) mlnb notebook. */
export class RunsTree implements vscode.TreeDataProvider<RunsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private notebook: vscode.NotebookDocument | undefined;
  private readonly details = new Map<number, Promise<RunDetail>>();
  private timer: NodeJS.Timeout | undefined;
  /** The runs last listed (the e2e tests and Compare Runs read them). */
  runs: RunSummary[] = [];
  message: string | undefined;

  constructor(private readonly command: KernelCommand) {
    this.follow(vscode.window.activeNotebookEditor?.notebook);
  }

  /** Show the runs of this notebook (ignored for other notebook types). */
  follow(notebook: vscode.NotebookDocument | undefined): void {
    if (!notebook || notebook.notebookType !== NOTEBOOK_TYPE || notebook === this.notebook) return;
    this.notebook = notebook;
    this.refresh();
  }

  get current(): vscode.NotebookDocument | undefined {
    return this.notebook;
  }

  /** Read the store again (now, or `delayMs` after the last call: stage replies come in bursts). */
  refresh(delayMs = 0): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.details.clear();
      this.changed.fire(undefined);
    }, delayMs);
  }

  /** A run with its stage executions (cached per refresh). */
  detail(notebook: vscode.NotebookDocument, runId: number): Promise<RunDetail> {
    let d = this.details.get(runId);
    if (!d) {
      d = this.command(notebook, "run", { runId }) as Promise<RunDetail>;
      this.details.set(runId, d);
      d.catch(() => this.details.delete(runId));
    }
    return d;
  }

  async getChildren(node?: RunsNode): Promise<RunsNode[]> {
    const notebook = this.notebook;
    if (!node) {
      if (!notebook) {
        this.message = "Open an .mlnb notebook to see its runs.";
        return [];
      }
      try {
        this.runs = (await this.command(notebook, "runs")) as RunSummary[];
        this.message = this.runs.length ? undefined : `No runs of ${notebook.uri.path.split("/").pop()} yet: run a stage cell.`;
      } catch (e) {
        this.runs = [];
        this.message = `Runs could not be read: ${(e as Error).message}`;
      }
      return this.runs.map((run) => ({ kind: "run", notebook, run }));
    }
    if (node.kind === "run") {
      const detail = await this.detail(node.notebook, node.run.id);
      return [...latestStageRuns(detail).values()].map((stageRun) => ({ kind: "stage", notebook: node.notebook, runId: node.run.id, stageRun }));
    }
    if (node.kind === "stage") {
      const s = node.stageRun;
      return [
        ...s.outputs.map((output): RunsNode => ({ kind: "output", notebook: node.notebook, runId: node.runId, stageRun: s, output })),
        ...s.metrics.map((m): RunsNode => ({ kind: "value", label: m.name, description: `${formatValue(m.value)}${m.step !== undefined ? ` (step ${m.step})` : ""}`, icon: "graph-line" })),
        ...Object.entries({ ...s.params, ...s.loggedParams }).map(([k, v]): RunsNode => ({ kind: "value", label: k, description: formatValue(v), icon: "symbol-parameter" })),
      ];
    }
    return [];
  }

  getTreeItem(node: RunsNode): vscode.TreeItem {
    switch (node.kind) {
      case "run": {
        const t = runItemText(node.run);
        const item = new vscode.TreeItem(t.label, vscode.TreeItemCollapsibleState.Collapsed);
        item.description = t.description;
        item.tooltip = t.tooltip;
        item.id = `run:${node.notebook.uri.toString()}:${node.run.id}`;
        item.contextValue = "mlnb.run";
        item.iconPath = new vscode.ThemeIcon(node.run.status === "error" ? "error" : node.run.status === "running" ? "sync" : "pass");
        return item;
      }
      case "stage": {
        const t = stageItemText(node.stageRun);
        const item = new vscode.TreeItem(t.label, vscode.TreeItemCollapsibleState.Collapsed);
        item.description = t.description;
        item.tooltip = t.tooltip;
        item.contextValue = "mlnb.stageRun";
        item.iconPath = new vscode.ThemeIcon(node.stageRun.status === "error" ? "error" : node.stageRun.status === "cached" ? "database" : "layers");
        return item;
      }
      case "output": {
        const t = outputItemText(node.output);
        const item = new vscode.TreeItem(t.label, vscode.TreeItemCollapsibleState.None);
        item.description = t.description;
        item.tooltip = t.tooltip;
        const viewable = node.output.hash !== undefined;
        item.contextValue = viewable ? "mlnb.output.viewable" : "mlnb.output";
        item.iconPath = new vscode.ThemeIcon(node.output.kind === "table" ? "table" : node.output.kind.includes("model") ? "circuit-board" : "symbol-variable");
        if (viewable) item.command = { command: "mlnb.openStoredOutput", title: "Open Stored Output", arguments: [node] };
        return item;
      }
      case "value": {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.description = node.description;
        item.iconPath = new vscode.ThemeIcon(node.icon);
        return item;
      }
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.changed.dispose();
  }
}
