// The stage graph view: a webview panel drawing the notebook's stage DAG, updated live from the kernel's stage snapshots.
import * as vscode from "vscode";
import { layoutGraph, type GraphLayout, type GraphStructure, type StageRunView } from "../../kernel/stages/views/graphLayout.js";
import { renderLayoutSvg, STATE_COLORS } from "../../kernel/stages/views/graphSvg.js";
import { createPanel, escapeHtml } from "./webview.js";

/** Sends a command to a notebook's kernel (starting it when needed). */
export type KernelCommand = (notebook: vscode.NotebookDocument, command: string, args?: Record<string, unknown>) => Promise<unknown>;

type Snapshot = { stages?: Record<string, { state?: string; cellId?: string; info?: StageRunView }>; graph?: GraphStructure };

/** One graph panel per notebook; each follows its notebook's snapshots. */
export class GraphPanels implements vscode.Disposable {
  private readonly open = new Map<string, { panel: vscode.WebviewPanel; notebook: vscode.NotebookDocument; structure?: GraphStructure; stages: NonNullable<Snapshot["stages"]>; layout?: GraphLayout }>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly command: KernelCommand,
  ) {}

  /** Open (or bring forward) the graph of a notebook and fetch its current graph from the kernel. */
  async show(notebook: vscode.NotebookDocument): Promise<void> {
    const key = notebook.uri.toString();
    let entry = this.open.get(key);
    if (entry) entry.panel.reveal(undefined, true);
    else {
      const panel = createPanel(this.extensionUri, "mlnb.stageGraph", `Stage Graph: ${notebook.uri.path.split("/").pop()}`);
      entry = { panel, notebook, stages: {} };
      this.open.set(key, entry);
      panel.onDidDispose(() => this.open.delete(key));
      panel.webview.onDidReceiveMessage((m: { type: string; stage?: string; cellId?: string }) => void this.onMessage(notebook, m));
    }
    const snapshot = (await this.command(notebook, "graph")) as Snapshot;
    this.update(notebook, snapshot);
  }

  /** Take a snapshot (stage reply, sync or graph result) for a notebook whose graph is open. */
  update(notebook: vscode.NotebookDocument, snapshot: unknown): void {
    const entry = this.open.get(notebook.uri.toString());
    const s = snapshot as Snapshot | undefined;
    if (!entry || !s || typeof s !== "object") return;
    if (s.graph) entry.structure = s.graph;
    if (s.stages) entry.stages = s.stages;
    if (!entry.structure) return;
    const runs: Record<string, StageRunView> = {};
    for (const [name, st] of Object.entries(entry.stages)) runs[name] = { ...st.info, ...(st.state ? { state: st.state } : {}) };
    entry.layout = layoutGraph(entry.structure, runs);
    void entry.panel.webview.postMessage({ type: "html", html: graphHtml(entry.layout) });
  }

  /** The layout a notebook's panel shows (the e2e tests read it). */
  layoutOf(notebookUri: string): GraphLayout | undefined {
    return this.open.get(notebookUri)?.layout;
  }

  private async onMessage(notebook: vscode.NotebookDocument, m: { type: string; stage?: string; cellId?: string }): Promise<void> {
    if (m.type === "ready") return this.update(notebook, {});
    const index = notebook.getCells().findIndex((c) => c.document.uri.toString() === m.cellId);
    const cell = index >= 0 ? notebook.cellAt(index) : undefined;
    if (m.type === "runStale") return void vscode.commands.executeCommand("mlnb.runStaleStages", { notebookEditor: { notebookUri: notebook.uri } });
    if (!cell) return void vscode.window.showWarningMessage(`mlnb: the cell of stage ${m.stage ?? "?"} is not in the notebook any more.`);
    if (m.type === "reveal") {
      const editor = await vscode.window.showNotebookDocument(notebook, { viewColumn: vscode.window.visibleNotebookEditors.find((e) => e.notebook === notebook)?.viewColumn, preserveFocus: false });
      const range = new vscode.NotebookRange(index, index + 1);
      editor.selections = [range];
      editor.revealRange(range, vscode.NotebookEditorRevealType.InCenterIfOutsideViewport);
    } else if (m.type === "runWithUpstream") {
      await vscode.commands.executeCommand("mlnb.runStageWithUpstream", cell);
    }
  }

  dispose(): void {
    for (const e of this.open.values()) e.panel.dispose();
    this.open.clear();
  }
}

function graphHtml(layout: GraphLayout): string {
  const legend = Object.entries(STATE_COLORS).map(([state, color]) => `<span><i style="background:${color}"></i>${state}</span>`).join("");
  const messages = layout.messages.length ? `<h3>Problems</h3><ul class="messages">${layout.messages.map((m) => `<li class="${m.severity}">${escapeHtml(m.message)}</li>`).join("")}</ul>` : "";
  const empty = layout.nodes.length === 0 ? `<p class="muted">No %%stage cells in this notebook yet.</p>` : "";
  return `<div class="legend">${legend}</div><p class="muted">Click a stage to show its cell; right-click to run it.</p>${empty}<div class="graph">${renderLayoutSvg(layout)}</div>${messages}`;
}
