// Run records in PostgreSQL (runs the worker thread): the embedded store's writes and queries, each write one transaction.
import pg from "pg";
import { blobsOfOutput, OUTPUT_COLUMNS, outputColumns, paramRows, STAGE_RUN_COLUMNS, toCacheHit, toOutput, toRunSummary, toStageRunDetail } from "../rows.js";
import type { LineageRow, MetricRow, OutputRow, ParamRow, RunRow, StageRunRow } from "../rows.js";
import type { CacheHit, OutputRecord, RunDetail, RunStatus, RunSummary, StageRunDetail, StageRunRecord } from "../types.js";
import { migratePg } from "./pgSchema.js";
import { redact } from "../location.js";

/** A stored execution matching a cache key, with its outputs (the caller checks their blobs). */
export type Candidate = CacheHit;

export { redact };

/** `$1, $2, ... $n` from `from`. */
const placeholders = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `$${i + from}`).join(", ");
const STAGE_RUN_VALUES = placeholders(14).replace("$11", "(SELECT id FROM mlnb_stage_runs WHERE id = $11)");

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
  const insertParams = async (runId: number, stageRunId: number | null, rows: [string, string, string][]) => {
    for (const row of rows) await q("INSERT INTO mlnb_params (run_id, stage_run_id, name, value, source) VALUES ($1, $2, $3, $4, $5)", [runId, stageRunId, ...row]);
  };
  const paramsOf = (stageRunId: number) => q<ParamRow>("SELECT name, value, source FROM mlnb_params WHERE stage_run_id = $1 ORDER BY id", [stageRunId]);
  const outputsOf = (stageRunId: number) => q<OutputRow>(`SELECT ${OUTPUT_COLUMNS} FROM mlnb_outputs WHERE stage_run_id = $1 ORDER BY id`, [stageRunId]);
  const metricsOf = (stageRunId: number) => q<MetricRow>("SELECT name, value, step FROM mlnb_metrics WHERE stage_run_id = $1 ORDER BY id", [stageRunId]);

  const summary = async (row: RunRow): Promise<RunSummary> => {
    const [counts] = await q<{ stages: number; cached: number; failed: number }>(
      "SELECT COUNT(*) AS stages, COUNT(*) FILTER (WHERE status = 'cached') AS cached, COUNT(*) FILTER (WHERE status = 'error') AS failed FROM mlnb_stage_runs WHERE run_id = $1",
      [row.id],
    );
    return toRunSummary(
      row,
      await q<ParamRow>("SELECT name, value FROM mlnb_params WHERE run_id = $1 AND source = 'notebook' ORDER BY id", [row.id]),
      await q<MetricRow>("SELECT name, value, step FROM mlnb_metrics WHERE run_id = $1 ORDER BY id", [row.id]),
      counts!,
    );
  };

  const detail = async (r: StageRunRow): Promise<StageRunDetail> =>
    toStageRunDetail(r, {
      inputs: await q<LineageRow>("SELECT input_name, input_hash, from_stage, from_stage_run_id FROM mlnb_lineage WHERE stage_run_id = $1 ORDER BY id", [r.id]),
      outputs: await outputsOf(r.id),
      metrics: await metricsOf(r.id),
      params: await paramsOf(r.id),
    });

  const ofRun = (n: number) => `(SELECT id FROM mlnb_stage_runs WHERE run_id = $${n})`;
  const deleteSteps = [
    // rows of other runs pointing into this one first (foreign keys)
    `UPDATE mlnb_stage_runs SET cached_from = NULL WHERE run_id != $1 AND cached_from IN ${ofRun(1)}`,
    `UPDATE mlnb_lineage SET from_stage_run_id = NULL WHERE from_stage_run_id IN ${ofRun(1)} AND stage_run_id NOT IN ${ofRun(1)}`,
    "DELETE FROM mlnb_params WHERE run_id = $1",
    "DELETE FROM mlnb_metrics WHERE run_id = $1",
    `DELETE FROM mlnb_outputs WHERE stage_run_id IN ${ofRun(1)}`,
    `DELETE FROM mlnb_lineage WHERE stage_run_id IN ${ofRun(1)}`,
    // a stage run may be the cache source of a later one in the same run
    "UPDATE mlnb_stage_runs SET cached_from = NULL WHERE run_id = $1",
    "DELETE FROM mlnb_stage_runs WHERE run_id = $1",
    "DELETE FROM mlnb_runs WHERE id = $1",
  ];

  return {
    beginRun: (run: { notebook: string; seed?: number; params?: Record<string, unknown>; source?: string }, now: number, pid: number, host: string) =>
      tx(async () => {
        const [row] = await q<{ id: number }>("INSERT INTO mlnb_runs (notebook, started_at, seed, source, pid, host) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id", [run.notebook, now, run.seed ?? null, run.source ?? "kernel", pid, host]);
        await insertParams(row!.id, null, paramRows(run.params, "notebook"));
        return row!.id;
      }),
    endRun: async (runId: number, status: Exclude<RunStatus, "running">, now: number) => {
      await q("UPDATE mlnb_runs SET status = $1, ended_at = $2 WHERE id = $3", [status, now, runId]);
    },
    /** The ids and pids of `host`'s runs still "running". */
    runningRuns: (host: string) => q<{ id: number; pid: number }>("SELECT id, pid FROM mlnb_runs WHERE status = 'running' AND pid IS NOT NULL AND host = $1", [host]),
    /** Mark runs whose process died aborted. */
    markAborted: async (ids: number[], now: number) => {
      for (const id of ids) await q("UPDATE mlnb_runs SET status = 'aborted', ended_at = $1 WHERE id = $2 AND status = 'running'", [now, id]);
    },
    /** Every row of one stage execution in one transaction (`columns` from rows.ts's stageRunColumns); returns its id. */
    writeStageRun: (r: Pick<StageRunRecord, "runId" | "inputs" | "metrics" | "params" | "loggedParams">, columns: unknown[], outputs: OutputRecord[]) =>
      tx(async () => {
        const [row] = await q<{ id: number }>(`INSERT INTO mlnb_stage_runs (${STAGE_RUN_COLUMNS}) VALUES (${STAGE_RUN_VALUES}) RETURNING id`, columns.map((v, i) => (i === 11 ? v === 1 : v)));
        const id = row!.id;
        for (const o of outputs) await q(`INSERT INTO mlnb_outputs (stage_run_id, ${OUTPUT_COLUMNS}) VALUES (${placeholders(11)})`, [id, ...outputColumns(o)]);
        for (const i of r.inputs ?? []) {
          await q("INSERT INTO mlnb_lineage (stage_run_id, input_name, input_hash, from_stage, from_stage_run_id) VALUES ($1, $2, $3, $4, (SELECT id FROM mlnb_stage_runs WHERE id = $5))", [id, i.name, i.hash, i.fromStage ?? null, i.fromStageRunId ?? null]);
        }
        for (const m of r.metrics ?? []) await q("INSERT INTO mlnb_metrics (run_id, stage_run_id, name, value, step) VALUES ($1, $2, $3, $4, $5)", [r.runId, id, m.name, m.value, m.step ?? null]);
        await insertParams(r.runId, id, [...paramRows(r.params, "stage"), ...paramRows(r.loggedParams, "logged")]);
        return id;
      }),
    /** The latest (at most 20) successful cacheable executions with this key, newest first. */
    candidates: async (stage: string, codeHash: string, paramsHash: string, seed: number, inputsHash: string): Promise<Candidate[]> => {
      const rows = await q<StageRunRow>(
        `SELECT * FROM mlnb_stage_runs WHERE stage = $1 AND code_hash = $2 AND params_hash = $3 AND seed = $4 AND inputs_hash = $5 AND status = 'ok' AND cacheable
         ORDER BY id DESC LIMIT 20`,
        [stage, codeHash, paramsHash, seed, inputsHash],
      );
      const out: Candidate[] = [];
      for (const row of rows) out.push(toCacheHit(row, (await outputsOf(row.id)).map(toOutput), await metricsOf(row.id), await paramsOf(row.id)));
      return out;
    },
    listRuns: async (options: { notebook?: string; limit?: number } = {}): Promise<RunSummary[]> => {
      const rows = options.notebook === undefined
        ? await q<RunRow>("SELECT * FROM mlnb_runs ORDER BY id DESC LIMIT $1", [options.limit ?? null])
        : await q<RunRow>("SELECT * FROM mlnb_runs WHERE notebook = $1 ORDER BY id DESC LIMIT $2", [options.notebook, options.limit ?? null]);
      const out: RunSummary[] = [];
      for (const row of rows) out.push(await summary(row));
      return out;
    },
    getRun: async (runId: number): Promise<RunDetail | undefined> => {
      const [row] = await q<RunRow>("SELECT * FROM mlnb_runs WHERE id = $1", [runId]);
      if (!row) return undefined;
      const stageRuns: StageRunDetail[] = [];
      for (const r of await q<StageRunRow>("SELECT * FROM mlnb_stage_runs WHERE run_id = $1 ORDER BY id", [runId])) stageRuns.push(await detail(r));
      return { ...(await summary(row)), stageRuns };
    },
    /** Delete runs (not "running" ones) with all their rows in one transaction; returns the ids deleted. */
    deleteRuns: (ids: number[]) =>
      tx(async () => {
        const deleted: number[] = [];
        for (const id of ids) {
          // FOR UPDATE: a run ending meanwhile waits for this transaction, a running one is skipped
          const [row] = await q<{ status: string }>("SELECT status FROM mlnb_runs WHERE id = $1 FOR UPDATE", [id]);
          if (!row || row.status === "running") continue;
          for (const sql of deleteSteps) await q(sql, [id]);
          deleted.push(id);
        }
        return deleted;
      }),
    /** Every blob hash the outputs of runs not in `except` need. */
    referencedBlobs: async (except: number[]): Promise<string[]> => {
      const rows = await q<{ parts: string; sidecar_hash: string | null }>(
        "SELECT o.parts, o.sidecar_hash FROM mlnb_outputs o JOIN mlnb_stage_runs s ON s.id = o.stage_run_id WHERE NOT (s.run_id = ANY($1::bigint[]))",
        [except],
      );
      return [...new Set(rows.flatMap(blobsOfOutput))];
    },
    close: () => client.end(),
  };
}

/** The run records of a shared store, as the worker serves them. */
export type SharedRuns = Awaited<ReturnType<typeof connectRuns>>;
