// The run store: SQLite records of runs and stage executions plus content-addressed value blobs.
import { mkdirSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { openDatabase, type SqlDatabase } from "../../sqlite/open.js";
import type { SqlParams } from "../../sqlite/types.js";
import { createCodecRegistry, type CodecRegistry } from "../codecs/registry.js";
import { inputsHash } from "../keys.js";
import { createBlobStore, type BlobStore } from "./blobs.js";
import { deadRuns } from "./aborted.js";
import { createGcQueries, createQueries } from "./queries.js";
import { OUTPUT_COLUMNS, STAGE_RUN_COLUMNS, outputColumns, paramRows, stageRunColumns } from "./rows.js";
import { migrate } from "./schema.js";
import { decodeOutputs, storeOutput } from "./outputs.js";
import { isSharedStore, openSharedStore } from "./shared/store.js";
import type { CacheHit, OutputRecord, RunDetail, RunStatus, RunSummary, StageRunRecord } from "./types.js";

export interface StoreOptions {
  /**
   * The store folder (created when missing; see `storeDirFor`), or a `postgres://` URL for a
   * store shared by many processes, its blobs under MLNB_ARTIFACTS (see shared/store.ts).
   */
  dir: string;
  /** Codecs for restoring values (default: the built-ins). */
  codecs?: CodecRegistry;
  /** Epoch ms now (injected in tests). */
  clock?: () => number;
}

export interface RunStore {
  readonly dir: string;
  readonly blobs: BlobStore;
  /** Start a run (a kernel session or one `mlnb run`); returns its id. */
  beginRun(run: { notebook: string; seed?: number; params?: Record<string, unknown>; source?: string }): number;
  /** Mark a run finished. */
  endRun(runId: number, status: Exclude<RunStatus, "running">): void;
  /**
   * Record one stage execution. Blobs of encoded outputs are written first, then every row
   * in one transaction, so a crash never leaves a record pointing at a missing blob.
   * Returns the stage run id and the output records as stored.
   */
  recordStageRun(record: StageRunRecord): { stageRunId: number; outputs: OutputRecord[] };
  /**
   * The latest successful execution of `stage` with this exact code, params, seed and inputs
   * (name -> hash) whose outputs are all stored (none opaque, every blob present).
   */
  findCached(stage: string, codeHash: string, paramsHash: string, seed: number, inputHashes: Record<string, string>): CacheHit | undefined;
  /**
   * Decode stored outputs back into values (blob contents are verified against their hashes),
   * handing each codec the sidecar stored beside its value (a table's lineage).
   */
  loadOutputs(outputs: readonly OutputRecord[]): Promise<Record<string, unknown>>;
  /** Runs, newest first, optionally of one notebook (by file name). */
  listRuns(options?: { notebook?: string; limit?: number }): RunSummary[];
  /** One run with all its stage executions, or undefined. */
  getRun(runId: number): RunDetail | undefined;
  /**
   * Delete runs with every row of theirs in one transaction (`mlnb gc`); what kept runs point at in
   * them (a cache source, an upstream stage run) becomes unknown. A run still "running" is never
   * deleted. Blobs are left to the caller. Returns the ids deleted.
   */
  deleteRuns(runIds: readonly number[]): number[];
  /** Every blob hash the outputs of the recorded runs need (parts and sidecars), leaving out runs in `except`. */
  referencedBlobs(except?: readonly number[]): Set<string>;
  close(): void;
}

export { resolveStoreLocation, storeDirFor, storeFromEnv } from "./location.js";

/** The name runs are filed under for a notebook path (its file name: stores live beside notebooks). */
export function notebookKey(notebookPath: string): string {
  return basename(notebookPath);
}

/** The store folder ignores itself in git (`*`): its runs and blobs are not the project's files. */
function ignoreInGit(dir: string): void {
  try {
    writeFileSync(join(dir, ".gitignore"), "# the mlnb run store: not tracked\n*\n", { flag: "wx" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
}

/**
 * Runs still "running" whose process (on this host) is gone were killed: mark them aborted, so
 * `mlnb runs` says so and export never locks them. Runs of other hosts are left to their host.
 */
function markAborted(db: SqlDatabase, clock: () => number): void {
  const open = db.prepare("SELECT id, pid FROM runs WHERE status = 'running' AND pid IS NOT NULL AND host = ?").all(hostname()) as { id: number; pid: number }[];
  const abort = db.prepare("UPDATE runs SET status = 'aborted', ended_at = ? WHERE id = ? AND status = 'running'");
  for (const id of deadRuns(open)) abort.run(clock(), id);
}

/** Open (or create) the run store in `options.dir`. */
export function openStore(options: StoreOptions): RunStore {
  if (isSharedStore(options.dir)) return openSharedStore({ url: options.dir, ...(options.codecs ? { codecs: options.codecs } : {}), ...(options.clock ? { clock: options.clock } : {}) });
  const { dir } = options;
  const clock = options.clock ?? Date.now;
  const codecs = options.codecs ?? createCodecRegistry();
  mkdirSync(dir, { recursive: true });
  ignoreInGit(dir);
  const file = join(dir, "runs.sqlite");
  const db = openDatabase(file);
  // The busy timeout first: switching to WAL and migrating take the write lock, which another
  // process opening the same fresh store may hold for a moment.
  db.pragma("busy_timeout = 10000");
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  migrate(db, file);
  const blobs = createBlobStore(join(dir, "blobs"));
  // Temp files of writers that died mid-blob (older than a minute, so no live writer's).
  blobs.sweepTemp();
  const queries = createQueries(db, blobs);

  markAborted(db, clock);
  const insertRun = db.prepare("INSERT INTO runs (notebook, started_at, seed, source, pid, host) VALUES (?, ?, ?, ?, ?, ?)");
  const insertParam = db.prepare("INSERT INTO params (run_id, stage_run_id, name, value, source) VALUES (?, ?, ?, ?, ?)");
  const updateRun = db.prepare("UPDATE runs SET status = ?, ended_at = ? WHERE id = ?");
  // A source stage run or upstream gc removed meanwhile is recorded as unknown (NULL), not refused.
  const insertStageRun = db.prepare(`INSERT INTO stage_runs (${STAGE_RUN_COLUMNS})
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT id FROM stage_runs WHERE id = ?), ?, ?, ?)`);
  const insertOutput = db.prepare(`INSERT INTO outputs (stage_run_id, ${OUTPUT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertLineage = db.prepare("INSERT INTO lineage (stage_run_id, input_name, input_hash, from_stage, from_stage_run_id) VALUES (?, ?, ?, ?, (SELECT id FROM stage_runs WHERE id = ?))");
  const insertMetric = db.prepare("INSERT INTO metrics (run_id, stage_run_id, name, value, step) VALUES (?, ?, ?, ?, ?)");

  const beginRun = db.transaction((run: { notebook: string; seed?: number; params?: Record<string, unknown>; source?: string }) => {
    const id = Number(insertRun.run(run.notebook, clock(), run.seed ?? null, run.source ?? "kernel", process.pid, hostname()).lastInsertRowid);
    for (const [name, value] of Object.entries(run.params ?? {})) insertParam.run(id, null, name, JSON.stringify(value) ?? "null", "notebook");
    return id;
  });

  const writeStageRun = db.transaction((r: StageRunRecord, outputs: OutputRecord[]) => {
    const stageRunId = Number(insertStageRun.run(...(stageRunColumns(r, outputs, clock()) as SqlParams)).lastInsertRowid);
    for (const o of outputs) insertOutput.run(...([stageRunId, ...outputColumns(o)] as SqlParams));
    for (const i of r.inputs ?? []) insertLineage.run(stageRunId, i.name, i.hash, i.fromStage ?? null, i.fromStageRunId ?? null);
    for (const m of r.metrics ?? []) insertMetric.run(r.runId, stageRunId, m.name, m.value, m.step ?? null);
    for (const row of [...paramRows(r.params, "stage"), ...paramRows(r.loggedParams, "logged")]) insertParam.run(r.runId, stageRunId, ...row);
    return stageRunId;
  });
  const gc = createGcQueries(db);

  return {
    dir,
    blobs,
    beginRun: (run) => beginRun(run),
    endRun(runId, status) {
      // A run's end is durable: with synchronous = FULL this commit syncs the WAL, and with it every
      // earlier commit of the run (the WAL is appended in order). Blobs are not synced (blobs.ts).
      db.pragma("synchronous = FULL");
      try {
        updateRun.run(status, clock(), runId);
      } finally {
        db.pragma("synchronous = NORMAL");
      }
    },
    recordStageRun(record) {
      const outputs = Object.entries(record.outputs).map(([name, v]) => storeOutput(blobs, name, v));
      return { stageRunId: writeStageRun(record, outputs), outputs };
    },
    findCached: (stage, code, params, seed, inputHashes) => queries.findCached(stage, code, params, seed, inputsHash(inputHashes)),
    loadOutputs: (outputs) => decodeOutputs(blobs, codecs, outputs),
    listRuns: (options) => queries.listRuns(options),
    getRun: (runId) => queries.getRun(runId),
    deleteRuns: (runIds) => gc.deleteRuns(runIds),
    referencedBlobs: (except) => gc.referencedBlobs(except),
    close() {
      db.close();
    },
  };
}
