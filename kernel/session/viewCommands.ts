// Kernel commands behind the VS Code views: stage graph, runs and their comparison, table pages, stored outputs, loading a past run.
import type { Executor } from "../exec/executor.js";
import type { Mime } from "../ml/context.js";
import { vegaLiteToSvg } from "../ml/display.js";
import { graphStructure } from "../stages/views/graphLayout.js";
import type { OutputRecord, RunDetail } from "../stages/store/types.js";
import { compareRuns, metricChartSpec } from "../views/runsModel.js";
import { columnarOf, keepTable, keptTable, tablePage } from "../views/tableRegistry.js";
import { tablePayload, type SortSpec } from "../views/tableModel.js";
import type { NotebookState } from "./notebook.js";

/** Names of the commands this module answers. */
export const VIEW_COMMANDS = ["graph", "tablePage", "runs", "run", "compareRuns", "storedOutput", "loadRun"] as const;

const int = (v: unknown, what: string): number => {
  if (typeof v === "number" && Number.isInteger(v) && v >= 0) return v;
  if (typeof v === "string" && /^\d+$/.test(v)) return Number(v);
  throw new Error(`${what} must be a non-negative integer, got ${JSON.stringify(v)}`);
};

/**
 * `graph`: the stage graph structure and the stage snapshot; `tablePage` {ref, offset, limit,
 * sort?}: rows of a shown or stored table; `runs` {limit?}: the notebook's runs, newest first;
 * `run` {runId}; `compareRuns` {runIds}: rows side by side and the metric chart across all runs;
 * `storedOutput` {runId, stageRunId, output}: a stored table (first page) or model (summary);
 * `loadRun` {runId}: restore the run's stage outputs into the session as a cache hit does.
 */
export async function runViewCommand(nb: NotebookState, executor: Executor, command: string, args: Record<string, unknown>): Promise<unknown> {
  const { stages } = nb.mods;
  switch (command) {
    case "graph":
      return { graph: graphStructure(nb.graph), ...nb.snapshot() };
    case "tablePage": {
      if (typeof args.ref !== "string") throw new Error("tablePage: args.ref must be the table's ref");
      const sort = args.sort as SortSpec | undefined;
      if (sort !== undefined && (typeof sort !== "object" || typeof sort.column !== "string")) throw new Error("tablePage: args.sort must be { column, descending? }");
      return tablePage(args.ref, { offset: int(args.offset ?? 0, "tablePage: args.offset"), limit: int(args.limit ?? 25, "tablePage: args.limit"), ...(sort ? { sort } : {}) });
    }
    case "runs":
      return nb.store.listRuns({ notebook: stages.notebookKey(nb.notebookPath), ...(args.limit !== undefined ? { limit: int(args.limit, "runs: args.limit") } : {}) });
    case "run":
      return getRun(nb, args.runId);
    case "compareRuns": {
      const ids = args.runIds;
      if (!Array.isArray(ids) || ids.length < 2) throw new Error("compareRuns: args.runIds must list two runs or more");
      const runs = ids.map((id) => getRun(nb, id));
      const spec = metricChartSpec(nb.store.listRuns({ notebook: stages.notebookKey(nb.notebookPath) }));
      let svg: string | undefined;
      try {
        svg = await vegaLiteToSvg(spec);
      } catch (e) {
        svg = undefined;
        process.stderr.write(`compareRuns: chart not drawn: ${(e as Error).message}\n`);
      }
      return { runIds: runs.map((r) => r.id), rows: compareRuns(runs), chart: { spec, svg } };
    }
    case "storedOutput":
      return storedOutput(nb, args);
    case "loadRun":
      return loadRun(nb, executor, getRun(nb, args.runId));
    default:
      throw new Error(`unknown command: ${command}`);
  }
}

function getRun(nb: NotebookState, id: unknown): RunDetail {
  const runId = int(id, "runId");
  const run = nb.store.getRun(runId);
  if (!run) throw new Error(`no run ${runId} in the run store ${nb.store.dir}`);
  return run;
}

function findOutput(run: RunDetail, stageRunId: number, name: string): OutputRecord {
  const stageRun = run.stageRuns.find((s) => s.id === stageRunId);
  if (!stageRun) throw new Error(`run ${run.id} has no stage run ${stageRunId}`);
  const output = stageRun.outputs.find((o) => o.name === name);
  if (!output) throw new Error(`stage ${stageRun.stage} (stage run ${stageRunId}) has no output "${name}"; it has ${stageRun.outputs.map((o) => o.name).join(", ") || "none"}`);
  if (!output.hash) throw new Error(`output "${name}" of stage ${stageRun.stage} was not stored: ${output.reason ?? "opaque value"}`);
  return output;
}

async function storedOutput(nb: NotebookState, args: Record<string, unknown>) {
  const run = getRun(nb, args.runId);
  const stageRunId = int(args.stageRunId, "storedOutput: args.stageRunId");
  if (typeof args.output !== "string") throw new Error("storedOutput: args.output must be an output name");
  const output = findOutput(run, stageRunId, args.output);
  const ref = `stored:${output.hash}`;
  const stageRun = run.stageRuns.find((s) => s.id === stageRunId)!;
  const head = { runId: run.id, stage: stageRun.stage, name: output.name, kind: output.kind, shape: output.shape, hash: output.hash };
  let table = keptTable(ref);
  if (!table) {
    const value = (await nb.store.loadOutputs([output]))[output.name];
    table = columnarOf(value);
    if (!table) return { ...head, model: modelSummary(value, stageRun.metrics) };
    keepTable(table, ref);
  }
  // Stored tables always keep their ref: the viewer pages through the kernel like any large table.
  return { ...head, table: { ...tablePayload(table, { inlineMax: 0 }), ref } };
}

/** What a model output shows: kind, layers with their parameter counts, features, metrics of its stage. */
function modelSummary(value: unknown, metrics: { name: string; value: number }[]): Record<string, unknown> {
  const m = value as { kind?: string; task?: string; target?: string; features?: string[]; labels?: unknown[]; network?: { layers?: unknown[]; countParams?: () => number }; history?: { loss?: number[] } } | null;
  if (!m || typeof m !== "object" || !m.network) return { kind: m?.kind ?? (Array.isArray(value) ? "array" : typeof value), summary: summaryText(value), metrics: Object.fromEntries(metrics.map((x) => [x.name, x.value])) };
  const layers = (m.network?.layers ?? []).map((l) => {
    const layer = l as { name: string; getClassName(): string; outputShape: unknown; countParams(): number };
    return { name: layer.name, type: layer.getClassName(), outputShape: JSON.stringify(layer.outputShape), params: layer.countParams() };
  });
  return {
    kind: m.kind ?? (value as object).constructor?.name ?? "object",
    ...(m.task ? { task: m.task } : {}),
    ...(m.target ? { target: m.target } : {}),
    ...(m.features ? { features: m.features } : {}),
    ...(m.labels ? { labels: m.labels.map(String) } : {}),
    layers,
    params: typeof m.network?.countParams === "function" ? m.network.countParams() : layers.reduce((n, l) => n + l.params, 0),
    ...(m.history?.loss?.length ? { epochs: m.history.loss.length, finalLoss: m.history.loss.at(-1) } : {}),
    metrics: Object.fromEntries(metrics.map((x) => [x.name, x.value])),
  };
}

function summaryText(value: unknown): string {
  try {
    const text = JSON.stringify(value, null, 2) ?? String(value);
    return text.length > 4000 ? `${text.slice(0, 4000)}\n…` : text;
  } catch {
    return String(value).slice(0, 4000);
  }
}

/** What Load Into Kernel shows in a loaded stage's cell: its recorded displays, the cached line, its result. */
export interface StageReplay {
  stage: string;
  cellId: string;
  shown: Mime[];
  result?: Mime;
  message: string;
}

/**
 * Restore every stage of `run` whose outputs are stored, in run order, the way a cache hit does:
 * the values enter the session, the restore is recorded in the session's run, and each stage is
 * "cached" when its cell's code and the params it reads still match the run's (else "stale"); stages downstream of a
 * loaded one that were not loaded become stale. `replays` lists what each loaded stage's cell shows.
 */
async function loadRun(nb: NotebookState, executor: Executor, run: RunDetail) {
  const { stages } = nb.mods;
  const latest = stages.latestStageRuns(run);
  const loaded: string[] = [];
  const skipped: { stage: string; reason: string }[] = [];
  const replays: StageReplay[] = [];
  const ordered = [...latest.values()].sort((a, b) => (nb.graph.order.indexOf(a.stage) + 1 || 1e9) - (nb.graph.order.indexOf(b.stage) + 1 || 1e9));
  for (const s of ordered) {
    const opaque = s.outputs.find((o) => !o.hash);
    if (s.status === "error") skipped.push({ stage: s.stage, reason: `it failed in run ${run.id}` });
    else if (opaque) skipped.push({ stage: s.stage, reason: `output ${opaque.name} was not stored (${opaque.reason ?? "opaque"})` });
    if (s.status === "error" || opaque) continue;
    const key = { stage: s.stage, codeHash: s.codeHash, paramsHash: s.paramsHash, seed: s.seed, params: s.params, inputs: s.inputs };
    // What the stage showed is kept with the execution that ran it (the one a cache hit on this key would restore).
    const recorded = stages.lookupCache(nb.store, key).hit;
    const hit = { stageRunId: s.cachedFrom ?? s.id, runId: run.id, stage: s.stage, startedAt: s.startedAt, durationMs: s.durationMs, outputs: s.outputs, metrics: s.metrics, loggedParams: s.loggedParams, displays: recorded?.displays ?? [] };
    const restored = await stages.restoreFromCache(nb.store, key, hit, { runId: nb.runId, current: nb.values });
    for (const [k, v] of Object.entries(restored.values)) executor.scope[k] = v;
    restored.sources.forEach((src, n) => nb.values.set(n, src));
    const node = nb.graph.stages.get(s.stage);
    const cell = node ? nb.cells.get(node.cellId) : undefined;
    const now = node && cell?.parsed ? stages.stageKey(node, nb.codeHashOf(cell.parsed.code), { params: nb.params, seed: nb.seed, values: nb.values }) : undefined;
    if (cell?.parsed) await executor.learn(cell.parsed.code);
    if (node) {
      nb.states = stages.markFinished(nb.graph, s.stage, { status: "cached", outputsChanged: true }, nb.states);
      if (now?.codeHash !== s.codeHash || now?.paramsHash !== s.paramsHash) nb.states.set(s.stage, "stale");
      nb.info.set(s.stage, { state: nb.states.get(s.stage)!, cached: true, durationMs: s.durationMs, outputs: s.outputs.map((o) => ({ name: o.name, kind: o.kind, shape: o.shape })), metrics: Object.fromEntries(s.metrics.map((m) => [m.name, m.value])) });
    }
    loaded.push(s.stage);
    // The cell shows what the stage showed, as a cache hit in a run does: displays, the cached line, the result.
    if (node) replays.push({ stage: s.stage, cellId: node.cellId, ...stages.replayOf(hit.displays), message: restored.message });
  }
  return { runId: run.id, loaded, skipped, replays, ...nb.snapshot() };
}
