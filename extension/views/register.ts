// Wires mlnb's views: stage graph panels, the Runs tree and its commands, stored outputs, run comparison, the table renderer's page requests.
import * as vscode from "vscode";
import type { GraphLayout } from "../../kernel/stages/views/graphLayout.js";
import type { MimeBundle, Reply } from "../../kernel/protocol.js";
import type { KernelConnection } from "../kernel.js";
import { notifySnapshot } from "../commands/kernelCommands.js";
import { targetNotebook } from "../commands/notebookArg.js";
import { openComparison } from "./comparePanel.js";
import { GraphPanels } from "./graphPanel.js";
import { RunsTree, type RunsNode } from "./runsTree.js";
import { openStoredOutput } from "./storedOutputPanel.js";

/** How the views reach a notebook's kernel: `get` starts one when needed, `peek` only finds a running one. */
export interface KernelAccess {
  get(notebook: vscode.NotebookDocument): Promise<KernelConnection>;
  peek(notebook: vscode.NotebookDocument): Promise<KernelConnection> | undefined;
  /** Show replies in a cell that the kernel restored without running it (the controller's execution). */
  showRestored?(cell: vscode.NotebookCell, replies: readonly Reply[]): Promise<void>;
}

/** What `loadRun` says a loaded stage's cell shows (kernel/session/viewCommands.ts StageReplay). */
interface StageReplay {
  stage: string;
  cellId: string;
  shown: MimeBundle[];
  result?: MimeBundle;
  message: string;
}

/** A loaded stage's outputs as the replies a cache hit in a run sends: displays, the cached line, the result. */
function replayReplies(replay: StageReplay): Reply[] {
  const id = `load:${replay.stage}`;
  return [
    ...replay.shown.map((data): Reply => ({ type: "display", id, data })),
    { type: "stream", id, name: "stdout", text: `${replay.message}\n` },
    ...(replay.result ? [{ type: "result", id, data: replay.result } as Reply] : []),
  ];
}

/** The views, for extension.ts to feed with stage snapshots. */
export interface Views extends vscode.Disposable {
  /** A stage snapshot arrived (stage reply or sync) for a notebook. */
  update(notebook: vscode.NotebookDocument, snapshot: unknown): void;
}

/** Register the views and their commands. */
export function registerViews(context: vscode.ExtensionContext, kernels: KernelAccess): Views {
  const command = async (notebook: vscode.NotebookDocument, name: string, args: Record<string, unknown> = {}) => {
    const kernel = await kernels.get(notebook);
    if (!kernel.command) throw new Error("this kernel client cannot send commands");
    return kernel.command(name, args);
  };
  const graphs = new GraphPanels(context.extensionUri, command);
  const runs = new RunsTree(command);
  const tree = vscode.window.createTreeView("mlnb.runs", { treeDataProvider: runs, canSelectMany: true, showCollapseAll: true });
  const fail = (what: string) => (e: unknown) => void vscode.window.showErrorMessage(`mlnb: ${what}: ${(e as Error).message}`);
  /**
   * The Runs view's items a command acts on: the selection it was given, else its item, else the
   * selection. VS Code hands a command `undefined` for items the tree dropped while listing its runs
   * anew (a run was added): they are the tree's selection again once that listing is done.
   */
  const actedOn = async (node: RunsNode | undefined, selected: readonly (RunsNode | undefined)[] | undefined): Promise<readonly RunsNode[]> => {
    const given = selected?.length ? selected : [node];
    if (given.every((n) => n !== undefined)) return given as RunsNode[];
    if (tree.visible) await runs.listed(60_000);
    return tree.selection;
  };
  const runsOf = (nodes: readonly RunsNode[]) => nodes.flatMap((n) => (n.kind === "run" ? [n.run.id] : n.kind === "stage" || n.kind === "output" ? [n.runId] : []));

  // Page requests of the table renderer go to the kernel that showed the table (never start one for it).
  const messaging = vscode.notebooks.createRendererMessaging("mlnb.table");
  const onPage = messaging.onDidReceiveMessage(async ({ editor, message }) => {
    const m = message as { type?: string; requestId?: number; ref?: string; offset?: number; limit?: number; sort?: unknown };
    if (m?.type !== "tablePage") return;
    try {
      const kernel = await kernels.peek(editor.notebook);
      if (!kernel?.command) throw new Error("no kernel is running for this notebook: run the cell again to page through the table");
      const page = await kernel.command("tablePage", { ref: m.ref, offset: m.offset, limit: m.limit, ...(m.sort ? { sort: m.sort } : {}) });
      await messaging.postMessage({ type: "tablePage", requestId: m.requestId, page }, editor);
    } catch (e) {
      await messaging.postMessage({ type: "tablePage", requestId: m.requestId, error: (e as Error).message }, editor);
    }
  });

  const syncMessage = () => (tree.message = runs.message);
  const disposables: vscode.Disposable[] = [
    graphs,
    runs,
    tree,
    onPage,
    runs.onDidChangeTreeData(() => setTimeout(syncMessage, 500)),
    vscode.window.onDidChangeActiveNotebookEditor((e) => runs.follow(e?.notebook)),
    vscode.commands.registerCommand("mlnb.showStageGraph", (arg?: unknown) => {
      const notebook = targetNotebook(arg);
      if (notebook) return graphs.show(notebook).catch(fail("Show Stage Graph"));
    }),
    vscode.commands.registerCommand("mlnb.refreshRuns", () => runs.refresh()),
    vscode.commands.registerCommand("mlnb.compareRuns", async (node?: RunsNode, selected?: readonly (RunsNode | undefined)[]) => {
      const notebook = runs.current;
      if (!notebook) return void vscode.window.showWarningMessage("mlnb: open an .mlnb notebook first.");
      let ids = [...new Set(runsOf(await actedOn(node, selected)))];
      if (ids.length < 2) {
        const others = runs.runs.filter((r) => !ids.includes(r.id));
        const pick = await vscode.window.showQuickPick(others.map((r) => ({ label: `run ${r.id}`, description: `${r.status} · ${Object.entries(r.params).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" ")}`, id: r.id })), { title: "Compare with which run?", canPickMany: ids.length === 0 });
        const picked = Array.isArray(pick) ? pick.map((p) => p.id) : pick ? [pick.id] : [];
        ids = [...ids, ...picked];
      }
      if (ids.length < 2) return;
      return openComparison(context.extensionUri, command, notebook, ids.sort((a, b) => a - b)).catch(fail("Compare Runs"));
    }),
    vscode.commands.registerCommand("mlnb.openStoredOutput", (node?: RunsNode) => {
      if (node?.kind !== "output") return void vscode.window.showWarningMessage("mlnb: pick a stored output in the Runs view.");
      return openStoredOutput(context.extensionUri, command, node.notebook, { runId: node.runId, stageRunId: node.stageRun.id, output: node.output.name }).catch(fail("Open Stored Output"));
    }),
    vscode.commands.registerCommand("mlnb.loadRunIntoKernel", async (node?: RunsNode) => {
      const runId = node ? runsOf([node])[0] : undefined;
      const notebook = runs.current;
      if (runId === undefined || !notebook) return void vscode.window.showWarningMessage("mlnb: pick a run in the Runs view.");
      try {
        const result = (await command(notebook, "loadRun", { runId })) as { loaded: string[]; skipped: { stage: string; reason: string }[]; replays?: StageReplay[] };
        // The cells' status bars and the views learn the loaded stages' states.
        notifySnapshot(notebook, result);
        // Each loaded stage's cell shows what the stage showed, as a cache hit does.
        for (const replay of result.replays ?? []) {
          const cell = notebook.getCells().find((c) => c.document.uri.toString() === replay.cellId);
          if (cell && kernels.showRestored) await kernels.showRestored(cell, replayReplies(replay)).catch(fail(`showing the outputs of stage ${replay.stage}`));
        }
        const skipped = result.skipped.map((s) => `${s.stage} (${s.reason})`).join("; ");
        void vscode.window.showInformationMessage(`mlnb: loaded ${result.loaded.length ? result.loaded.join(", ") : "no stage"} from run ${runId} into the kernel${skipped ? `; skipped ${skipped}` : ""}.`);
        runs.refresh();
        return result;
      } catch (e) {
        fail("Load Into Kernel")(e);
      }
    }),
    // Not in the palette: lets the e2e tests read what the views show.
    vscode.commands.registerCommand("mlnb.viewsState", (uri?: vscode.Uri): { graph?: GraphLayout; runs: typeof runs.runs } => ({ graph: graphs.layoutOf((uri ?? vscode.window.activeNotebookEditor?.notebook.uri)?.toString() ?? ""), runs: runs.runs })),
  ];
  const views: Views = {
    update(notebook, snapshot) {
      graphs.update(notebook, snapshot);
      const state = (snapshot as { state?: unknown } | undefined)?.state;
      // A stage finished: the run store has a new record.
      if (runs.current === notebook && (state === "fresh" || state === "cached" || state === "failed")) runs.refresh(800);
    },
    dispose() {
      for (const d of disposables) d.dispose();
    },
  };
  return views;
}
