// The Runs view: a tree of the active notebook's runs (newest first) > stages > outputs, metrics and params, read from the run store through the kernel.
import * as vscode from "vscode";
import type { RunDetail, RunSummary, StageRunDetail, OutputRecord } from "../../kernel/stages/store/types.js";
import { latestStageRuns } from "../../kernel/stages/store/history.js";
import { formatValue, outputItemText, runItemText, runsUpdate, stageItemText } from "../../kernel/views/runsModel.js";
import { NOTEBOOK_TYPE } from "../serializer.js";
import type { KernelCommand } from "./graphPanel.js";

export type RunsNode =
  | { kind: "run"; notebook: vscode.NotebookDocument; run: RunSummary }
  | { kind: "stage"; notebook: vscode.NotebookDocument; runId: number; stageRun: StageRunDetail }
  | { kind: "output"; notebook: vscode.NotebookDocument; runId: number; stageRun: StageRunDetail; output: OutputRecord }
  | { kind: "value"; label: string; description: string; icon: string };

type RunNode = Extract<RunsNode, { kind: "run" }>;

/** Tree data for the Runs view, following the active (or last active) mlnb notebook. */
export class RunsTree implements vscode.TreeDataProvider<RunsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunsNode | RunsNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private notebook: vscode.NotebookDocument | undefined;
  private readonly details = new Map<number, Promise<RunDetail>>();
  private timer: NodeJS.Timeout | undefined;
  /** One node object per run of the notebook listed, kept across reads so a run can be refreshed in place. */
  private readonly runNodes = new Map<number, RunNode>();
  private listedFor: vscode.NotebookDocument | undefined;
  /** Counts the times the tree was told to list its runs anew; `relisting` waits for the listing after one. */
  private relists = 0;
  private relisting: { after: number; done: Promise<void>; resolve: () => void } | undefined;
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
    this.timer = setTimeout(() => void this.update(), delayMs);
  }

  /**
   * Runs the tree already lists are refreshed in place (a running run gains stages, ends); only a
   * new or removed run lists the tree anew. Listing anew makes VS Code drop every item it holds
   * until the listing is done, and a command run on selected items meanwhile gets none of them.
   */
  private async update(): Promise<void> {
    const notebook = this.notebook;
    if (notebook && this.listedFor === notebook) {
      try {
        const read = (await this.command(notebook, "runs")) as RunSummary[];
        if (notebook !== this.notebook) return;
        const update = runsUpdate(this.runs, read);
        const nodes = update.relist ? [] : update.changed.flatMap((id) => this.runNodes.get(id) ?? []);
        if (!update.relist && nodes.length === update.changed.length) {
          this.runs = read;
          for (const node of nodes) {
            node.run = read.find((r) => r.id === node.run.id)!;
            this.details.delete(node.run.id);
          }
          if (nodes.length) this.changed.fire(nodes);
          return;
        }
      } catch {
        // Listing anew shows why the store could not be read.
      }
    }
    this.relist();
  }

  private relist(): void {
    this.details.clear();
    this.relists++;
    if (!this.relisting) {
      let resolve = () => {};
      const done = new Promise<void>((r) => (resolve = r));
      this.relisting = { after: this.relists, done, resolve };
    }
    this.changed.fire(undefined);
  }

  /** Resolves once the tree has listed its runs after being told to list them anew (at once if it was not), or after `timeoutMs`. */
  listed(timeoutMs: number): Promise<void> {
    if (!this.relisting) return Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([this.relisting.done, new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]).finally(() => clearTimeout(timer));
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
      const relists = this.relists;
      try {
        this.runs = (await this.command(notebook, "runs")) as RunSummary[];
        this.message = this.runs.length ? undefined : `No runs of ${notebook.uri.path.split("/").pop()} yet: run a stage cell.`;
      } catch (e) {
        this.runs = [];
        this.message = `Runs could not be read: ${(e as Error).message}`;
      }
      if (this.listedFor !== notebook) this.runNodes.clear();
      this.listedFor = notebook;
      const nodes = this.runs.map((run) => {
        const node = this.runNodes.get(run.id) ?? { kind: "run", notebook, run };
        node.run = run;
        this.runNodes.set(run.id, node);
        return node;
      });
      for (const id of this.runNodes.keys()) if (!this.runs.some((r) => r.id === id)) this.runNodes.delete(id);
      const relisting = this.relisting;
      if (relisting && relists >= relisting.after) {
        this.relisting = undefined;
        // VS Code takes the items in once this answer and their tree items are in.
        setTimeout(relisting.resolve, 100);
      }
      return nodes;
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
