// Read queries of the run store: cache lookup, run listing and run details.
import type { SqlDatabase } from "../../sqlite/open.js";
import type { BlobStore } from "./blobs.js";
import { outputRestorable } from "./outputs.js";
import type { CacheHit, Metric, OutputRecord, RunDetail, RunStatus, RunSummary, StageRunDetail, StageRunInput, StageRunStatus } from "./types.js";

interface StageRunRow {
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

interface RunRow {
  id: number;
  notebook: string;
  started_at: number;
  ended_at: number | null;
  status: RunStatus;
  seed: number | null;
  source: string;
}

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

/** An output row (embedded or shared store) as an output record. */
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
export const toMetric = (r: { name: string; value: number; step: number | null }): Metric => ({ name: r.name, value: r.value, ...(r.step === null ? {} : { step: r.step }) });

/** Prepared read queries over an open store database. */
export function createQueries(db: SqlDatabase, blobs: BlobStore) {
  const candidates = db.prepare(`SELECT * FROM stage_runs
    WHERE stage = ? AND code_hash = ? AND params_hash = ? AND seed = ? AND inputs_hash = ? AND status = 'ok' AND cacheable = 1
    ORDER BY id DESC LIMIT 20`);
  const outputsOf = db.prepare("SELECT name, kind, shape, hash, reason, meta, parts, size, sidecar_hash, sidecar_size FROM outputs WHERE stage_run_id = ? ORDER BY rowid");
  const metricsOf = db.prepare("SELECT name, value, step FROM metrics WHERE stage_run_id = ? ORDER BY rowid");
  const paramsOfStageRun = db.prepare("SELECT name, value, source FROM params WHERE stage_run_id = ? ORDER BY rowid");
  const inputsOf = db.prepare("SELECT input_name, input_hash, from_stage, from_stage_run_id FROM lineage WHERE stage_run_id = ? ORDER BY rowid");
  const runRow = db.prepare("SELECT * FROM runs WHERE id = ?");
  const runParams = db.prepare("SELECT name, value FROM params WHERE run_id = ? AND source = 'notebook' ORDER BY rowid");
  const runMetrics = db.prepare("SELECT name, value FROM metrics WHERE run_id = ? ORDER BY rowid");
  const runCounts = db.prepare(`SELECT COUNT(*) AS stages, SUM(status = 'cached') AS cached, SUM(status = 'error') AS failed FROM stage_runs WHERE run_id = ?`);
  const stageRunsOf = db.prepare("SELECT * FROM stage_runs WHERE run_id = ? ORDER BY id");

  const paramsByRun = (id: number, source: string) => {
    const out: Record<string, unknown> = {};
    for (const p of paramsOfStageRun.all(id) as { name: string; value: string; source: string }[]) if (p.source === source) out[p.name] = JSON.parse(p.value);
    return out;
  };

  const summary = (row: RunRow): RunSummary => {
    const params: Record<string, unknown> = {};
    for (const p of runParams.all(row.id) as { name: string; value: string }[]) params[p.name] = JSON.parse(p.value);
    const metrics: Record<string, number> = {};
    for (const m of runMetrics.all(row.id) as { name: string; value: number }[]) metrics[m.name] = m.value;
    const counts = runCounts.get(row.id) as { stages: number; cached: number | null; failed: number | null };
    return {
      id: row.id,
      notebook: row.notebook,
      startedAt: row.started_at,
      ...(row.ended_at === null ? {} : { endedAt: row.ended_at }),
      status: row.status,
      ...(row.seed === null ? {} : { seed: row.seed }),
      source: row.source,
      params,
      metrics,
      stages: counts.stages,
      cached: counts.cached ?? 0,
      failed: counts.failed ?? 0,
    };
  };

  const detail = (r: StageRunRow): StageRunDetail => ({
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
    inputs: (inputsOf.all(r.id) as { input_name: string; input_hash: string; from_stage: string | null; from_stage_run_id: number | null }[]).map(
      (i): StageRunInput => ({ name: i.input_name, hash: i.input_hash, ...(i.from_stage ? { fromStage: i.from_stage } : {}), ...(i.from_stage_run_id ? { fromStageRunId: i.from_stage_run_id } : {}) }),
    ),
    outputs: (outputsOf.all(r.id) as OutputRow[]).map(toOutput),
    metrics: (metricsOf.all(r.id) as { name: string; value: number; step: number | null }[]).map(toMetric),
    params: paramsByRun(r.id, "stage"),
    loggedParams: paramsByRun(r.id, "logged"),
  });

  return {
    findCached(stage: string, codeHash: string, paramsHash: string, seed: number, inputsHash: string): CacheHit | undefined {
      for (const row of candidates.all(stage, codeHash, paramsHash, seed, inputsHash) as StageRunRow[]) {
        const outputs = (outputsOf.all(row.id) as OutputRow[]).map(toOutput);
        if (!outputs.every((o) => outputRestorable(blobs, o))) continue;
        return {
          stageRunId: row.id,
          runId: row.run_id,
          stage: row.stage,
          startedAt: row.started_at,
          durationMs: row.duration_ms,
          outputs,
          metrics: (metricsOf.all(row.id) as { name: string; value: number; step: number | null }[]).map(toMetric),
          loggedParams: paramsByRun(row.id, "logged"),
          displays: row.displays ? (JSON.parse(row.displays) as CacheHit["displays"]) : [],
          ...(row.declarations ? { declarations: JSON.parse(row.declarations) as [string, string][] } : {}),
        };
      }
      return undefined;
    },
    listRuns(options: { notebook?: string; limit?: number } = {}): RunSummary[] {
      const rows = (options.notebook === undefined
        ? db.prepare("SELECT * FROM runs ORDER BY id DESC LIMIT ?").all(options.limit ?? -1)
        : db.prepare("SELECT * FROM runs WHERE notebook = ? ORDER BY id DESC LIMIT ?").all(options.notebook, options.limit ?? -1)) as RunRow[];
      return rows.map(summary);
    },
    getRun(runId: number): RunDetail | undefined {
      const row = runRow.get(runId) as RunRow | undefined;
      if (!row) return undefined;
      return { ...summary(row), stageRuns: (stageRunsOf.all(runId) as StageRunRow[]).map(detail) };
    },
  };
}
