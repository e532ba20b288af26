// Run history comparisons: what changed between two runs (params, code, outputs, metrics).
import type { RunDetail, StageRunDetail } from "./types.js";

export interface Change<T> {
  /** What changed: a param or metric name, a stage, or `stage.output`. */
  key: string;
  a: T | undefined;
  b: T | undefined;
}

export interface RunDiff {
  a: number;
  b: number;
  params: Change<unknown>[];
  /** Stage code hashes that differ (or stages present in one run only). */
  code: Change<string>[];
  /** Output content hashes that differ, keyed `stage.output` (opaque outputs compare by kind). */
  outputs: Change<string>[];
  /** Metrics that differ, keyed by name as logged, or `stage.name` when stages log the same name. */
  metrics: Change<number>[];
}

/** The latest execution of each stage in a run (a session may run a stage several times). */
export function latestStageRuns(run: RunDetail): Map<string, StageRunDetail> {
  const latest = new Map<string, StageRunDetail>();
  for (const s of run.stageRuns) latest.set(s.stage, s);
  return latest;
}

/** Compare two runs; each list holds only what differs, in a stable order. */
export function diffRuns(a: RunDetail, b: RunDetail): RunDiff {
  const sa = latestStageRuns(a);
  const sb = latestStageRuns(b);
  const stages = union(sa.keys(), sb.keys());
  const code: Change<string>[] = [];
  const outputs: Change<string>[] = [];
  for (const stage of stages) {
    const x = sa.get(stage);
    const y = sb.get(stage);
    if (x?.codeHash !== y?.codeHash) code.push({ key: stage, a: x?.codeHash, b: y?.codeHash });
    const ox = new Map((x?.outputs ?? []).map((o) => [o.name, o.hash ?? `opaque ${o.kind}`]));
    const oy = new Map((y?.outputs ?? []).map((o) => [o.name, o.hash ?? `opaque ${o.kind}`]));
    for (const name of union(ox.keys(), oy.keys())) {
      if (ox.get(name) !== oy.get(name)) outputs.push({ key: `${stage}.${name}`, a: ox.get(name), b: oy.get(name) });
    }
  }
  return {
    a: a.id,
    b: b.id,
    params: diffRecords(a.params, b.params),
    code,
    outputs,
    metrics: diffRecords(metricsOf(sa), metricsOf(sb)) as Change<number>[],
  };
}

/** Metrics of a run (its latest stage runs) by name; names logged by more than one stage are qualified as `stage.name`. */
export function metricsOf(stageRuns: Map<string, StageRunDetail>): Record<string, number> {
  const count = new Map<string, number>();
  for (const s of stageRuns.values()) for (const name of new Set(s.metrics.map((m) => m.name))) count.set(name, (count.get(name) ?? 0) + 1);
  const out: Record<string, number> = {};
  for (const s of stageRuns.values()) for (const m of s.metrics) out[count.get(m.name)! > 1 ? `${s.stage}.${m.name}` : m.name] = m.value;
  return out;
}

function diffRecords(a: Record<string, unknown>, b: Record<string, unknown>): Change<unknown>[] {
  return union(Object.keys(a), Object.keys(b))
    .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map((k) => ({ key: k, a: a[k], b: b[k] }));
}

function union(a: Iterable<string>, b: Iterable<string>): string[] {
  return [...new Set([...a, ...b])];
}
