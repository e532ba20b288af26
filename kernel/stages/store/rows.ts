// Rows of the run store's tables <-> records: the one mapping the embedded (SQLite) and shared (PostgreSQL) stores both use.
import { inputsHash } from "../keys.js";
import type { CacheHit, Metric, OutputRecord, RunStatus, RunSummary, StageRunDetail, StageRunInput, StageRunRecord, StageRunStatus } from "./types.js";

/** A `runs` row (the same columns in both stores). */
export interface RunRow {
  id: number;
  notebook: string;
  started_at: number;
  ended_at: number | null;
  status: RunStatus;
  seed: number | null;
  source: string;
}

/** A `stage_runs` row. */
export interface StageRunRow {
  id: number;
  run_id: number;
  stage: string;
  code_hash: string;
  params_hash: string;
  seed: number;
  inputs_hash: string;
  status: StageRunStatus;
  error: string | null;
  started_at: number;
  duration_ms: number;
  cached_from: number | null;
  displays?: string | null;
  declarations?: string | null;
}

/** An `outputs` row. */
export interface OutputRow {
  name: string;
  kind: string;
  shape: string;
  hash: string | null;
  reason: string | null;
  meta: string;
  parts: string;
  size: number;
  sidecar_hash: string | null;
  sidecar_size: number | null;
}

/** A `lineage` row. */
export interface LineageRow {
  input_name: string;
  input_hash: string;
  from_stage: string | null;
  from_stage_run_id: number | null;
}

/** A `params` row. */
export interface ParamRow {
  name: string;
  value: string;
  source?: string;
}

/** A `metrics` row. */
export interface MetricRow {
  name: string;
  value: number;
  step: number | null;
}

/** The `outputs` columns after `stage_run_id`, in the order `outputColumns` gives values. */
export const OUTPUT_COLUMNS = "name, kind, shape, hash, reason, meta, parts, size, sidecar_hash, sidecar_size";

/** The `stage_runs` columns `stageRunColumns` fills, in its order. */
export const STAGE_RUN_COLUMNS = "run_id, stage, code_hash, params_hash, seed, inputs_hash, status, error, started_at, duration_ms, cached_from, cacheable, displays, declarations";

/** An output row as an output record. */
export const toOutput = (r: OutputRow): OutputRecord => ({
  name: r.name,
  kind: r.kind,
  shape: r.shape,
  ...(r.hash ? { hash: r.hash } : {}),
  ...(r.reason ? { reason: r.reason } : {}),
  meta: JSON.parse(r.meta) as OutputRecord["meta"],
  parts: JSON.parse(r.parts) as OutputRecord["parts"],
  size: r.size,
  ...(r.sidecar_hash ? { sidecar: { hash: r.sidecar_hash, size: r.sidecar_size ?? 0 } } : {}),
});

/** A metric row as a metric. */
export const toMetric = (r: MetricRow): Metric => ({ name: r.name, value: r.value, ...(r.step === null ? {} : { step: r.step }) });

/** A lineage row as a stage run input. */
export const toInput = (i: LineageRow): StageRunInput => ({ name: i.input_name, hash: i.input_hash, ...(i.from_stage ? { fromStage: i.from_stage } : {}), ...(i.from_stage_run_id ? { fromStageRunId: i.from_stage_run_id } : {}) });

/** Param rows (JSON values) as a record, only those of `source` when given. */
export function toParams(rows: readonly ParamRow[], source?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of rows) if (source === undefined || p.source === source) out[p.name] = JSON.parse(p.value);
  return out;
}

/** A run row, its notebook params, its metrics (in logging order: the last value wins) and its stage counts as a summary. */
export function toRunSummary(row: RunRow, params: readonly ParamRow[], metrics: readonly MetricRow[], counts: { stages: number; cached: number | null; failed: number | null }): RunSummary {
  const last: Record<string, number> = {};
  for (const m of metrics) last[m.name] = m.value;
  return {
    id: row.id,
    notebook: row.notebook,
    startedAt: row.started_at,
    ...(row.ended_at === null ? {} : { endedAt: row.ended_at }),
    status: row.status,
    ...(row.seed === null ? {} : { seed: row.seed }),
    source: row.source,
    params: toParams(params),
    metrics: last,
    stages: Number(counts.stages),
    cached: Number(counts.cached ?? 0),
    failed: Number(counts.failed ?? 0),
  };
}

/** The rows hanging off one stage run. */
export interface StageRunParts {
  inputs: readonly LineageRow[];
  outputs: readonly OutputRow[];
  metrics: readonly MetricRow[];
  /** Its params rows (sources "stage" and "logged"). */
  params: readonly ParamRow[];
}

/** A stage run row and its rows as a stage run detail. */
export function toStageRunDetail(r: StageRunRow, parts: StageRunParts): StageRunDetail {
  return {
    id: r.id,
    stage: r.stage,
    status: r.status,
    codeHash: r.code_hash,
    paramsHash: r.params_hash,
    seed: r.seed,
    inputsHash: r.inputs_hash,
    startedAt: r.started_at,
    durationMs: r.duration_ms,
    ...(r.error === null ? {} : { error: r.error }),
    ...(r.cached_from === null ? {} : { cachedFrom: r.cached_from }),
    inputs: parts.inputs.map(toInput),
    outputs: parts.outputs.map(toOutput),
    metrics: parts.metrics.map(toMetric),
    params: toParams(parts.params, "stage"),
    loggedParams: toParams(parts.params, "logged"),
  };
}

/** A stage run row matching a cache key, with its outputs, metrics and logged params, as a cache hit. */
export function toCacheHit(row: StageRunRow, outputs: OutputRecord[], metrics: readonly MetricRow[], params: readonly ParamRow[]): CacheHit {
  return {
    stageRunId: row.id,
    runId: row.run_id,
    stage: row.stage,
    startedAt: row.started_at,
    durationMs: row.duration_ms,
    outputs,
    metrics: metrics.map(toMetric),
    loggedParams: toParams(params, "logged"),
    displays: row.displays ? (JSON.parse(row.displays) as CacheHit["displays"]) : [],
    ...(row.declarations ? { declarations: JSON.parse(row.declarations) as [string, string][] } : {}),
  };
}

/** The `stage_runs` values of a record (STAGE_RUN_COLUMNS order): inputs hashed, cacheability decided, displays and declarations as JSON. */
export function stageRunColumns(r: StageRunRecord, outputs: readonly OutputRecord[], now: number): unknown[] {
  const inputs = r.inputs ?? [];
  return [
    r.runId,
    r.stage,
    r.codeHash,
    r.paramsHash,
    r.seed,
    inputsHash(Object.fromEntries(inputs.map((i) => [i.name, i.hash]))),
    r.status,
    r.error ?? null,
    Math.round(r.startedAt ?? now - r.durationMs),
    r.durationMs,
    r.cachedFrom ?? null,
    // a stage with an opaque output cannot be restored, so it is never a cache candidate
    r.status === "ok" && outputs.every((o) => o.kind !== "opaque") ? 1 : 0,
    r.displays?.length ? JSON.stringify(r.displays) : null,
    r.declarations ? JSON.stringify(r.declarations) : null,
  ];
}

/** The `outputs` values of one output record (OUTPUT_COLUMNS order). */
export function outputColumns(o: OutputRecord): unknown[] {
  return [o.name, o.kind, o.shape, o.hash ?? null, o.reason ?? null, JSON.stringify(o.meta), JSON.stringify(o.parts), o.size, o.sidecar?.hash ?? null, o.sidecar?.size ?? null];
}

/** The `params` rows (name, JSON value, source) of a record's stage and logged params. */
export function paramRows(params: Record<string, unknown> | undefined, source: string): [string, string, string][] {
  return Object.entries(params ?? {}).map(([name, value]) => [name, JSON.stringify(value) ?? "null", source]);
}

/** Every blob hash an output row needs (its parts and sidecar). */
export function blobsOfOutput(row: { parts: string; sidecar_hash: string | null }): string[] {
  const parts = (JSON.parse(row.parts) as { hash: string }[]).map((p) => p.hash);
  return row.sidecar_hash ? [...parts, row.sidecar_hash] : parts;
}
