// Read queries of the embedded run store: cache lookup, run listing and run details (rows mapped by rows.ts).
import type { SqlDatabase } from "../../sqlite/open.js";
import type { BlobStore } from "./blobs.js";
import { outputRestorable } from "./outputs.js";
import { blobsOfOutput, toCacheHit, toOutput, toRunSummary, toStageRunDetail, type LineageRow, type MetricRow, type OutputRow, type ParamRow, type RunRow, type StageRunRow } from "./rows.js";
import type { CacheHit, RunDetail, RunSummary } from "./types.js";

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
  const runMetrics = db.prepare("SELECT name, value, step FROM metrics WHERE run_id = ? ORDER BY rowid");
  const runCounts = db.prepare(`SELECT COUNT(*) AS stages, SUM(status = 'cached') AS cached, SUM(status = 'error') AS failed FROM stage_runs WHERE run_id = ?`);
  const stageRunsOf = db.prepare("SELECT * FROM stage_runs WHERE run_id = ? ORDER BY id");

  const summary = (row: RunRow): RunSummary =>
    toRunSummary(row, runParams.all(row.id) as ParamRow[], runMetrics.all(row.id) as MetricRow[], runCounts.get(row.id) as { stages: number; cached: number | null; failed: number | null });

  return {
    findCached(stage: string, codeHash: string, paramsHash: string, seed: number, inputsHash: string): CacheHit | undefined {
      for (const row of candidates.all(stage, codeHash, paramsHash, seed, inputsHash) as StageRunRow[]) {
        const outputs = (outputsOf.all(row.id) as OutputRow[]).map(toOutput);
        if (!outputs.every((o) => outputRestorable(blobs, o))) continue;
        return toCacheHit(row, outputs, metricsOf.all(row.id) as MetricRow[], paramsOfStageRun.all(row.id) as ParamRow[]);
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
      const stageRuns = (stageRunsOf.all(runId) as StageRunRow[]).map((r) =>
        toStageRunDetail(r, { inputs: inputsOf.all(r.id) as LineageRow[], outputs: outputsOf.all(r.id) as OutputRow[], metrics: metricsOf.all(r.id) as MetricRow[], params: paramsOfStageRun.all(r.id) as ParamRow[] }),
      );
      return { ...summary(row), stageRuns };
    },
  };
}

/** The embedded store's side of `mlnb gc`: delete runs in one transaction, list the blobs what remains needs. */
export function createGcQueries(db: SqlDatabase) {
  const statusOf = db.prepare("SELECT status FROM runs WHERE id = ?");
  const ofRun = "(SELECT id FROM stage_runs WHERE run_id = ?)";
  const steps = [
    // rows of other runs pointing into this one first (foreign keys are on)
    `UPDATE stage_runs SET cached_from = NULL WHERE run_id != ? AND cached_from IN ${ofRun}`,
    `UPDATE lineage SET from_stage_run_id = NULL WHERE from_stage_run_id IN ${ofRun} AND stage_run_id NOT IN ${ofRun}`,
    "DELETE FROM params WHERE run_id = ?",
    "DELETE FROM metrics WHERE run_id = ?",
    `DELETE FROM outputs WHERE stage_run_id IN ${ofRun}`,
    `DELETE FROM lineage WHERE stage_run_id IN ${ofRun}`,
    "DELETE FROM stage_runs WHERE run_id = ?",
    "DELETE FROM runs WHERE id = ?",
  ].map((sql) => ({ stmt: db.prepare(sql), n: (sql.match(/\?/g) ?? []).length }));
  const deleteRuns = db.transaction((ids: readonly number[]) => {
    const deleted: number[] = [];
    for (const id of ids) {
      const row = statusOf.get(id) as { status: string } | undefined;
      if (!row || row.status === "running") continue;
      for (const { stmt, n } of steps) stmt.run(...Array<number>(n).fill(id));
      deleted.push(id);
    }
    return deleted;
  });
  const referenced = db.prepare(`SELECT o.parts, o.sidecar_hash FROM outputs o JOIN stage_runs s ON s.id = o.stage_run_id
    WHERE s.run_id NOT IN (SELECT value FROM json_each(?))`);
  return {
    deleteRuns: (ids: readonly number[]) => deleteRuns.immediate(ids),
    referencedBlobs(except: readonly number[] = []): Set<string> {
      const out = new Set<string>();
      for (const [parts, sidecar_hash] of referenced.iterate(JSON.stringify(except)).rows as Iterable<[string, string | null]>) {
        for (const h of blobsOfOutput({ parts, sidecar_hash })) out.add(h);
      }
      return out;
    },
  };
}
