// The shared run store's PostgreSQL schema: the embedded store's tables, created once under an advisory lock.
import type pg from "pg";

/** Each entry migrates from version i to i + 1. Never edit a released one: append. */
const MIGRATIONS: string[] = [
  `
  CREATE TABLE mlnb_runs (
    id BIGSERIAL PRIMARY KEY,
    notebook TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    ended_at BIGINT,
    status TEXT NOT NULL DEFAULT 'running',
    seed BIGINT,
    source TEXT NOT NULL DEFAULT 'kernel'
  );
  CREATE TABLE mlnb_stage_runs (
    id BIGSERIAL PRIMARY KEY,
    run_id BIGINT NOT NULL REFERENCES mlnb_runs(id),
    stage TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    params_hash TEXT NOT NULL,
    seed BIGINT NOT NULL,
    inputs_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    error TEXT,
    started_at BIGINT NOT NULL,
    duration_ms DOUBLE PRECISION NOT NULL,
    cached_from BIGINT REFERENCES mlnb_stage_runs(id),
    cacheable BOOLEAN NOT NULL,
    displays TEXT
  );
  CREATE INDEX mlnb_stage_runs_by_key ON mlnb_stage_runs (stage, code_hash, params_hash, seed, inputs_hash);
  CREATE INDEX mlnb_stage_runs_by_run ON mlnb_stage_runs (run_id);
  CREATE TABLE mlnb_params (
    id BIGSERIAL PRIMARY KEY,
    run_id BIGINT NOT NULL REFERENCES mlnb_runs(id),
    stage_run_id BIGINT REFERENCES mlnb_stage_runs(id),
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    source TEXT NOT NULL
  );
  CREATE INDEX mlnb_params_by_run ON mlnb_params (run_id);
  CREATE INDEX mlnb_params_by_stage_run ON mlnb_params (stage_run_id);
  CREATE TABLE mlnb_metrics (
    id BIGSERIAL PRIMARY KEY,
    run_id BIGINT NOT NULL REFERENCES mlnb_runs(id),
    stage_run_id BIGINT REFERENCES mlnb_stage_runs(id),
    name TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    step BIGINT
  );
  CREATE INDEX mlnb_metrics_by_run ON mlnb_metrics (run_id);
  CREATE INDEX mlnb_metrics_by_stage_run ON mlnb_metrics (stage_run_id);
  CREATE TABLE mlnb_outputs (
    id BIGSERIAL PRIMARY KEY,
    stage_run_id BIGINT NOT NULL REFERENCES mlnb_stage_runs(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    shape TEXT NOT NULL,
    hash TEXT,
    reason TEXT,
    meta TEXT NOT NULL DEFAULT '{}',
    parts TEXT NOT NULL DEFAULT '[]',
    size BIGINT NOT NULL DEFAULT 0,
    sidecar_hash TEXT,
    sidecar_size BIGINT,
    UNIQUE (stage_run_id, name)
  );
  CREATE TABLE mlnb_lineage (
    id BIGSERIAL PRIMARY KEY,
    stage_run_id BIGINT NOT NULL REFERENCES mlnb_stage_runs(id),
    input_name TEXT NOT NULL,
    input_hash TEXT NOT NULL,
    from_stage TEXT,
    from_stage_run_id BIGINT REFERENCES mlnb_stage_runs(id)
  );
  CREATE INDEX mlnb_lineage_by_stage_run ON mlnb_lineage (stage_run_id);
  `,
  // v2: what the embedded store's v3/v4 added: the type declarations a stage's code made (replayed on
  // a hit without a type check) and the process recording a run (pid, host), so a killed run is marked aborted
  `
  ALTER TABLE mlnb_stage_runs ADD COLUMN declarations TEXT;
  ALTER TABLE mlnb_runs ADD COLUMN pid INTEGER;
  ALTER TABLE mlnb_runs ADD COLUMN host TEXT;
  `,
];

/** The shared schema version this build writes. */
export const PG_SCHEMA_VERSION = MIGRATIONS.length;

// Any constant both sides agree on: processes opening one database at once migrate one at a time.
const MIGRATION_LOCK = 0x6d6c6e62;

/** Bring the database to PG_SCHEMA_VERSION; a database written by a newer mlnb is refused, not damaged. */
export async function migratePg(client: pg.Client, where: string): Promise<void> {
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await client.query("CREATE TABLE IF NOT EXISTS mlnb_schema (version INTEGER NOT NULL)");
    const row = (await client.query<{ version: number }>("SELECT version FROM mlnb_schema")).rows[0];
    const version = row?.version ?? 0;
    if (version > PG_SCHEMA_VERSION) throw new Error(`${where}: shared run store schema version ${version} is newer than this mlnb understands (${PG_SCHEMA_VERSION}); upgrade mlnb`);
    for (let v = version; v < PG_SCHEMA_VERSION; v++) await client.query(MIGRATIONS[v]!);
    if (!row) await client.query("INSERT INTO mlnb_schema (version) VALUES ($1)", [PG_SCHEMA_VERSION]);
    else if (version < PG_SCHEMA_VERSION) await client.query("UPDATE mlnb_schema SET version = $1", [PG_SCHEMA_VERSION]);
    await client.query("COMMIT");
  } catch (e) {
    await client.query("ROLLBACK");
    throw e;
  }
}
