// The run store's SQLite schema, versioned with PRAGMA user_version and migrated forward on open.
import type { SqlDatabase } from "../../sqlite/open.js";

/** Each entry migrates from version i to i + 1. Never edit a released one: append. */
const MIGRATIONS: string[] = [
  `
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    notebook TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    status TEXT NOT NULL DEFAULT 'running',
    seed INTEGER,
    source TEXT NOT NULL DEFAULT 'kernel'
  );
  CREATE TABLE stage_runs (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    stage TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    params_hash TEXT NOT NULL,
    seed INTEGER NOT NULL,
    inputs_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    error TEXT,
    started_at INTEGER NOT NULL,
    duration_ms REAL NOT NULL,
    cached_from INTEGER REFERENCES stage_runs(id),
    cacheable INTEGER NOT NULL
  );
  CREATE INDEX stage_runs_by_key ON stage_runs (stage, code_hash, params_hash, seed, inputs_hash);
  CREATE INDEX stage_runs_by_run ON stage_runs (run_id);
  CREATE TABLE params (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    stage_run_id INTEGER REFERENCES stage_runs(id),
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    source TEXT NOT NULL
  );
  CREATE INDEX params_by_run ON params (run_id);
  CREATE TABLE metrics (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    stage_run_id INTEGER REFERENCES stage_runs(id),
    name TEXT NOT NULL,
    value REAL NOT NULL,
    step INTEGER
  );
  CREATE INDEX metrics_by_run ON metrics (run_id);
  CREATE TABLE outputs (
    stage_run_id INTEGER NOT NULL REFERENCES stage_runs(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    shape TEXT NOT NULL,
    hash TEXT,
    reason TEXT,
    meta TEXT NOT NULL DEFAULT '{}',
    parts TEXT NOT NULL DEFAULT '[]',
    size INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (stage_run_id, name)
  );
  CREATE TABLE lineage (
    stage_run_id INTEGER NOT NULL REFERENCES stage_runs(id),
    input_name TEXT NOT NULL,
    input_hash TEXT NOT NULL,
    from_stage TEXT,
    from_stage_run_id INTEGER REFERENCES stage_runs(id)
  );
  CREATE INDEX lineage_by_stage_run ON lineage (stage_run_id);
  `,
  // v2: an output's sidecar (e.g. a table's row lineage) is a blob beside its parts, outside its hash
  `
  ALTER TABLE outputs ADD COLUMN sidecar_hash TEXT;
  ALTER TABLE outputs ADD COLUMN sidecar_size INTEGER;
  `,
  // v3: the display outputs a stage showed and the type declarations its code made (JSON), used when it is restored from the cache
  `
  ALTER TABLE stage_runs ADD COLUMN displays TEXT;
  ALTER TABLE stage_runs ADD COLUMN declarations TEXT;
  `,
  // v4: the process recording a run (pid, host), so a run whose process died is marked aborted
  `
  ALTER TABLE runs ADD COLUMN pid INTEGER;
  ALTER TABLE runs ADD COLUMN host TEXT;
  `,
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Bring `db` to SCHEMA_VERSION; a store written by a newer mlnb is refused rather than damaged. */
export function migrate(db: SqlDatabase, file: string): void {
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(`${file}: run store schema version ${version} is newer than this mlnb understands (${SCHEMA_VERSION}); upgrade mlnb`);
  }
  if (version === SCHEMA_VERSION) return;
  // Two processes may open a fresh store at once (two `mlnb run`): each step takes the write lock
  // first (BEGIN IMMEDIATE, waiting on busy_timeout) and re-reads the version under it, so the
  // second one finds the work done instead of failing on "table runs already exists".
  for (;;) {
    const done = db.transaction(() => {
      const v = db.pragma("user_version", { simple: true }) as number;
      if (v >= SCHEMA_VERSION) return true;
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
      return false;
    }).immediate();
    if (done) return;
  }
}
