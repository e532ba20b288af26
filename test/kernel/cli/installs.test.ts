// Tests that `mlnb run` works where native modules cannot load (WebAssembly SQLite and swc), and says what to install when nothing loads.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, test } from "node:test";
import { serializeNotebook } from "../../../kernel/notebook/format.js";
import { openDatabase } from "../../../kernel/sqlite/open.js";

const BIN = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..", "bin", "mlnb.js");
const dir = mkdtempSync(join(tmpdir(), "mlnb-installs-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const nb = join(dir, "answer.mlnb");
writeFileSync(nb, serializeNotebook({ metadata: {}, cells: [{ kind: "code", language: "typescript", source: "%%stage ingest\nconst answer: number = 6 * 7;\nanswer", outputs: [], executionCount: null, metadata: {} }] }));

/** `mlnb run` on the notebook in a Node that refuses every native addon (`--no-addons`, inherited by the kernel through NODE_OPTIONS). */
function runWithoutAddons(extraEnv: Record<string, string> = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: "--no-addons", MLNB_STORE: join(dir, "store") };
  delete env.MLNB_SQLITE;
  delete env.MLNB_SWC;
  return spawnSync(process.execPath, [BIN, "run", nb, "--type-check", "off"], { encoding: "utf8", env: { ...env, ...extraEnv } });
}

test("mlnb run runs and records a stage when no native module can load", () => {
  const r = runWithoutAddons();
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /cell 1 \(stage ingest\)[^\n]*\n42\n/);
  // The record is in SQLite, as any backend reads it.
  const db = openDatabase(join(dir, "store", "runs.sqlite"), { readonly: true });
  try {
    assert.deepEqual(db.prepare("SELECT stage, status FROM stage_runs").all(), [{ stage: "ingest", status: "ok" }]);
  } finally {
    db.close();
  }
});

test("mlnb run whose only SQLite cannot load says which one failed and what to do, without a stack", () => {
  const r = runWithoutAddons({ MLNB_SQLITE: "better-sqlite3" });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^mlnb run: the kernel cannot start: mlnb found no SQLite it can load on Node [\d.]+ \(\w+-\w+\): better-sqlite3: Cannot load native addon because loading addons is disabled\. MLNB_SQLITE=better-sqlite3 asks for that one only: unset it/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});
