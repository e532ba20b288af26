// The runs view's data: tree item texts, the side-by-side comparison of runs and the metric chart across runs (pure).
import { formatTime } from "../stages/format.js";
import { latestStageRuns, metricsOf } from "../stages/store/history.js";
import type { OutputRecord, RunDetail, RunSummary, StageRunDetail } from "../stages/store/types.js";
import { formatCount } from "../text/count.js";

/** Text of a tree item: its label, the grey description after it, and a tooltip. */
export interface ItemText {
  label: string;
  description: string;
  tooltip: string;
}

/** How many metrics a run's tree item shows after its params. */
const HEADLINE_METRICS = 3;

/** A value as people read it: short numbers, plain strings, JSON for the rest. */
export function formatValue(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
  if (v === undefined) return "";
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** "run 12 · ok" with "epochs=60 hidden=16 · accuracy=0.985 f1=0.98" beside it. */
export function runItemText(run: RunSummary): ItemText {
  const params = Object.entries(run.params).map(([k, v]) => `${k}=${formatValue(v)}`).join(" ");
  const metrics = Object.entries(run.metrics).slice(0, HEADLINE_METRICS).map(([k, v]) => `${k}=${formatValue(v)}`).join(" ");
  const stages = `${run.stages} stage${run.stages === 1 ? "" : "s"}${run.cached ? `, ${run.cached} cached` : ""}${run.failed ? `, ${run.failed} failed` : ""}`;
  return {
    label: `run ${run.id} · ${run.status}`,
    description: [params, metrics].filter(Boolean).join(" · "),
    tooltip: [`run ${run.id} of ${run.notebook} (${run.source}), started ${formatTime(run.startedAt)}`, stages, params && `params: ${params}`, Object.keys(run.metrics).length ? `metrics: ${Object.entries(run.metrics).map(([k, v]) => `${k}=${formatValue(v)}`).join(" ")}` : ""].filter(Boolean).join("\n"),
  };
}

/** "train · ok · 4.1 s" (or "cached from stage run 7"). */
export function stageItemText(s: StageRunDetail): ItemText {
  const took = s.durationMs >= 1000 ? `${(s.durationMs / 1000).toFixed(1)} s` : `${Math.round(s.durationMs)} ms`;
  return {
    label: s.stage,
    description: [s.status, took, s.cachedFrom !== undefined ? `from stage run ${s.cachedFrom}` : ""].filter(Boolean).join(" · "),
    tooltip: [`stage run ${s.id}: ${s.status}${s.error ? `: ${s.error}` : ""}`, `code ${s.codeHash.slice(0, 12)}`, `started ${formatTime(s.startedAt)}`].join("\n"),
  };
}

/** "penguins: table 344×7" for an output (opaque ones say why they were not stored). */
export function outputItemText(o: OutputRecord): ItemText {
  return {
    label: o.name,
    description: `${o.kind} ${o.shape}${o.reason ? ` (not stored: ${o.reason})` : ""}`,
    tooltip: [`${o.name}: ${o.kind} ${o.shape}`, o.hash ? `sha256 ${o.hash}` : `opaque: ${o.reason ?? "no codec"}`, `${formatCount(o.size)} bytes`].join("\n"),
  };
}

export type CompareSection = "run" | "params" | "code" | "outputs" | "metrics";

export interface CompareRow {
  section: CompareSection;
  key: string;
  /** The value in each run, as text ("" when the run has none). */
  values: string[];
  /** True when the runs disagree. */
  changed: boolean;
}

const shortHash = (h: string | undefined) => (h === undefined ? "" : /^[0-9a-f]{64}$/.test(h) ? h.slice(0, 12) : h);

/**
 * Runs side by side, one row per param, stage code hash, output hash and metric that any of
 * them has (the latest execution of each stage counts), each row flagged when the runs differ.
 */
export function compareRuns(runs: readonly RunDetail[]): CompareRow[] {
  const rows: CompareRow[] = [];
  const push = (section: CompareSection, key: string, values: string[]) => rows.push({ section, key, values, changed: new Set(values).size > 1 });
  push("run", "status", runs.map((r) => r.status));
  push("run", "started", runs.map((r) => formatTime(r.startedAt)));
  for (const k of union(runs.map((r) => Object.keys(r.params)))) push("params", k, runs.map((r) => formatValue(r.params[k])));
  const stages = runs.map(latestStageRuns);
  for (const stage of union(stages.map((s) => [...s.keys()]))) push("code", stage, stages.map((s) => shortHash(s.get(stage)?.codeHash)));
  for (const stage of union(stages.map((s) => [...s.keys()]))) {
    const outs = stages.map((s) => new Map((s.get(stage)?.outputs ?? []).map((o) => [o.name, o.hash ?? `opaque ${o.kind}`])));
    for (const name of union(outs.map((o) => [...o.keys()]))) push("outputs", `${stage}.${name}`, outs.map((o) => shortHash(o.get(name))));
  }
  const metrics = stages.map(metricsOf);
  for (const k of union(metrics.map((m) => Object.keys(m)))) push("metrics", k, metrics.map((m) => formatValue(m[k])));
  return rows;
}

/**
 * A vega-lite line chart of every metric across runs (oldest first), one line per metric, as
 * MLflow's compare view draws.
 */
export function metricChartSpec(runs: readonly RunSummary[]): Record<string, unknown> {
  const values = [...runs]
    .sort((a, b) => a.id - b.id)
    .flatMap((r) => Object.entries(r.metrics).map(([metric, value]) => ({ run: r.id, metric, value })));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: "Metrics across runs",
    width: 420,
    height: 220,
    data: { values },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "run", type: "ordinal", title: "run" },
      y: { field: "value", type: "quantitative", title: "value" },
      color: { field: "metric", type: "nominal", title: "metric" },
      tooltip: [{ field: "run" }, { field: "metric" }, { field: "value", format: ".4g" }],
    },
  };
}

function union(lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())];
}

/** How the Runs view updates when the store is read again: list anew, or refresh some runs in place. */
export type RunsUpdate = { relist: true } | { relist: false; changed: number[] };

/**
 * Compare the runs shown with the runs just read. The same runs in the same order are refreshed in
 * place (the ones whose summary changed, and running ones, whose stages may have grown): listing
 * the whole tree again would drop every item VS Code holds, so a right-click on a selected run in
 * that moment would hand its command nothing. A new or removed run means listing anew.
 */
export function runsUpdate(shown: readonly RunSummary[], read: readonly RunSummary[]): RunsUpdate {
  if (shown.length !== read.length || shown.some((r, i) => r.id !== read[i]!.id)) return { relist: true };
  const changed = read.filter((r, i) => r.status === "running" || JSON.stringify(r) !== JSON.stringify(shown[i])).map((r) => r.id);
  return { relist: false, changed };
}
