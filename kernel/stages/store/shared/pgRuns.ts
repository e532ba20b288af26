// Run records in PostgreSQL (runs the worker thread): the embedded store's writes and queries, each write one transaction.
import pg from "pg";
import { toMetric, toOutput, type OutputRow } from "../queries.js";
import type { CacheHit, OutputRecord, RunDetail, RunStatus, RunSummary, StageRunDetail, StageRunInput, StageRunStatus } from "../types.js";
import { migratePg } from "./pgSchema.js";
import { redact } from "../location.js";

/** A stage run as the shared store writes it (the caller computed the inputs hash and cacheability). */
export interface StageRunRow {
  runId: number;
  stage: string;
  codeHash: string;
  paramsHash: string;
  seed: number;
  inputsHash: string;
  status: StageRunStatus;
  error: string | null;
  startedAt: number;
  durationMs: number;
  cachedFrom: number | null;
  cacheable: boolean;
  inputs: StageRunInput[];
  metrics: { name: string; value: number; step?: number }[];
  params: Record<string, unknown>;
  loggedParams: Record<string, unknown>;
  /** What the stage showed, replayed on a cache hit. */
  displays?: CacheHit["displays"];
}

/** A stored execution matching a cache key, with its outputs (the caller checks their blobs). */
export type Candidate = CacheHit;

export { redact };

const OUTPUT_COLUMNS = "name, kind, shape, hash, reason, meta, parts, size, sidecar_hash, sidecar_size";

/** Connect to the shared store's database and bring its schema up to date. */
export async function connectRuns(url: string) {
  // int8 (20) as numbers: ids, epochs and sizes stay far below 2^53
  const client = new pg.Client({ connectionString: url, types: { getTypeParser: ((oid: number, format: any) => (oid === 20 ? Number : pg.types.getTypeParser(oid, format))) as any } });
  try {
    await client.connect();
  } catch (e) {
    throw new Error(`shared run store ${redact(url)}: cannot connect (${e instanceof Error ? e.message : String(e)})`);
  }
  await migratePg(client, redact(url));
  const q = async <R extends pg.QueryResultRow>(sql: string, values: unknown[] = []) => (await client.query<R>(sql, values)).rows;
  const tx = async <T>(fn: () => Promise<T>): Promise<T> => {
    await client.query("BEGIN");
    try {
      const v = await fn();
      await client.query("COMMIT");
      return v;
    } catch (e) {
      await client.query("ROLLBACK");
      throw e;
    }
  };
  const insertParams = async (runId: number, stageRunId: number | null, params: Record<string, unknown>, source: string) => {
    for (const [name, value] of Object.entries(params)) await q("INSERT INTO mlnb_params (run_id, stage_run_id, name, value, source) VALUES ($1, $2, $3, $4, $5)", [runId, stageRunId, name, JSON.stringify(value) ?? "null", source]);
  };
  const paramsOf = async (stageRunId: number, source: string) => {
    const out: Record<string, unknown> = {};
    for (const p of await q<{ name: string; value: string }>("SELECT name, value FROM mlnb_params WHERE stage_run_id = $1 AND source = $2 ORDER BY id", [stageRunId, source])) out[p.name] = JSON.parse(p.value);
    return out;
  };
  const outputsOf = async (stageRunId: number) => (await q<OutputRow>(`SELECT ${OUTPUT_COLUMNS} FROM mlnb_outputs WHERE stage_run_id = $1 ORDER BY id`, [stageRunId])).map(toOutput);
  const metricsOf = async (stageRunId: number) => (await q<{ name: string; value: number; step: number | null }>("SELECT name, value, step FROM mlnb_metrics WHERE stage_run_id = $1 ORDER BY id", [stageRunId])).map(toMetric);

  const summary = async (row: any): Promise<RunSummary> => {
    const params: Record<string, unknown> = {};
    for (const p of await q<{ name: string; value: string }>("SELECT name, value FROM mlnb_params WHERE run_id = $1 AND source = 'notebook' ORDER BY id", [row.id])) params[p.name] = JSON.parse(p.value);
    const metrics: Record<string, number> = {};
    for (const m of await q<{ name: string; value: number }>("SELECT name, value FROM mlnb_metrics WHERE run_id = $1 ORDER BY id", [row.id])) metrics[m.name] = m.value;
    const [counts] = await q<{ stages: number; cached: number; failed: number }>(
      "SELECT COUNT(*) AS stages, COUNT(*) FILTER (WHERE status = 'cached') AS cached, COUNT(*) FILTER (WHERE status = 'error') AS failed FROM mlnb_stage_runs WHERE run_id = $1",
      [row.id],
    );
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
      stages: counts!.stages,
      cached: counts!.cached,
      failed: counts!.failed,
    };
  };

  const detail = async (r: any): Promise<StageRunDetail> => ({
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
    inputs: (await q<any>("SELECT input_name, input_hash, from_stage, from_stage_run_id FROM mlnb_lineage WHERE stage_run_id = $1 ORDER BY id", [r.id])).map(
      (i): StageRunInput => ({ name: i.input_name, hash: i.input_hash, ...(i.from_stage ? { fromStage: i.from_stage } : {}), ...(i.from_stage_run_id ? { fromStageRunId: i.from_stage_run_id } : {}) }),
    ),
    outputs: await outputsOf(r.id),
    metrics: await metricsOf(r.id),
    params: await paramsOf(r.id, "stage"),
    loggedParams: await paramsOf(r.id, "logged"),
  });

  return {
    beginRun: (run: { notebook: string; seed?: number; params?: Record<string, unknown>; source?: string }, now: number) =>
      tx(async () => {
        const [row] = await q<{ id: number }>("INSERT INTO mlnb_runs (notebook, started_at, seed, source) VALUES ($1, $2, $3, $4) RETURNING id", [run.notebook, now, run.seed ?? null, run.source ?? "kernel"]);
        await insertParams(row!.id, null, run.params ?? {}, "notebook");
        return row!.id;
      }),
    endRun: async (runId: number, status: Exclude<RunStatus, "running">, now: number) => {
      await q("UPDATE mlnb_runs SET status = $1, ended_at = $2 WHERE id = $3", [status, now, runId]);
    },
    /** Every row of one stage execution in one transaction; returns its id. */
    writeStageRun: (r: StageRunRow, outputs: OutputRecord[]) =>
      tx(async () => {
        const [row] = await q<{ id: number }>(
          `INSERT INTO mlnb_stage_runs (run_id, stage, code_hash, params_hash, seed, inputs_hash, status, error, started_at, duration_ms, cached_from, cacheable, displays)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
          [r.runId, r.stage, r.codeHash, r.paramsHash, r.seed, r.inputsHash, r.status, r.error, Math.round(r.startedAt), r.durationMs, r.cachedFrom, r.cacheable, r.displays?.length ? JSON.stringify(r.displays) : null],
        );
        const id = row!.id;
        for (const o of outputs) {
          await q(`INSERT INTO mlnb_outputs (stage_run_id, ${OUTPUT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, [
            id, o.name, o.kind, o.shape, o.hash ?? null, o.reason ?? null, JSON.stringify(o.meta), JSON.stringify(o.parts), o.size, o.sidecar?.hash ?? null, o.sidecar?.size ?? null,
          ]);
        }
        for (const i of r.inputs) await q("INSERT INTO mlnb_lineage (stage_run_id, input_name, input_hash, from_stage, from_stage_run_id) VALUES ($1, $2, $3, $4, $5)", [id, i.name, i.hash, i.fromStage ?? null, i.fromStageRunId ?? null]);
        for (const m of r.metrics) await q("INSERT INTO mlnb_metrics (run_id, stage_run_id, name, value, step) VALUES ($1, $2, $3, $4, $5)", [r.runId, id, m.name, m.value, m.step ?? null]);
        await insertParams(r.runId, id, r.params, "stage");
        await insertParams(r.runId, id, r.loggedParams, "logged");
        return id;
      }),
    /** The latest (at most 20) successful cacheable executions with this key, newest first. */
    candidates: async (stage: string, codeHash: string, paramsHash: string, seed: number, inputsHash: string): Promise<Candidate[]> => {
      const rows = await q<any>(
        `SELECT * FROM mlnb_stage_runs WHERE stage = $1 AND code_hash = $2 AND params_hash = $3 AND seed = $4 AND inputs_hash = $5 AND status = 'ok' AND cacheable
         ORDER BY id DESC LIMIT 20`,
        [stage, codeHash, paramsHash, seed, inputsHash],
      );
      const out: Candidate[] = [];
      for (const row of rows) {
        out.push({ stageRunId: row.id, runId: row.run_id, stage: row.stage, startedAt: row.started_at, durationMs: row.duration_ms, outputs: await outputsOf(row.id), metrics: await metricsOf(row.id), loggedParams: await paramsOf(row.id, "logged"), displays: row.displays ? (JSON.parse(row.displays) as CacheHit["displays"]) : [] });
      }
      return out;
    },
    listRuns: async (options: { notebook?: string; limit?: number } = {}): Promise<RunSummary[]> => {
      const rows = options.notebook === undefined
        ? await q("SELECT * FROM mlnb_runs ORDER BY id DESC LIMIT $1", [options.limit ?? null])
        : await q("SELECT * FROM mlnb_runs WHERE notebook = $1 ORDER BY id DESC LIMIT $2", [options.notebook, options.limit ?? null]);
      const out: RunSummary[] = [];
      for (const row of rows) out.push(await summary(row));
      return out;
    },
    getRun: async (runId: number): Promise<RunDetail | undefined> => {
      const [row] = await q("SELECT * FROM mlnb_runs WHERE id = $1", [runId]);
      if (!row) return undefined;
      const stageRuns: StageRunDetail[] = [];
      for (const r of await q("SELECT * FROM mlnb_stage_runs WHERE run_id = $1 ORDER BY id", [runId])) stageRuns.push(await detail(r));
      return { ...(await summary(row)), stageRuns };
    },
    close: () => client.end(),
  };
}

/** The run records of a shared store, as the worker serves them. */
export type SharedRuns = Awaited<ReturnType<typeof connectRuns>>;
