// Crash safety of the run store on every SQLite backend: a writer killed with SIGKILL mid-write never leaves a half blob or a broken record.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { openDatabase, sqliteBackend } from "../../../kernel/sqlite/open.js";
import { openStore } from "../../../kernel/stages/store/index.js";

const WRITER = new URL("./crashWriter.js", import.meta.url);

/** Start the writer, let it write for `ms` after its first record, then kill -9 it. */
function killMidWrite(dir: string, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER.pathname, dir], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.stdout.once("data", () => setTimeout(() => child.kill("SIGKILL"), ms));
    child.on("exit", (code, signal) => (signal === "SIGKILL" ? resolve() : reject(new Error(`writer exited with ${code}: ${stderr}`))));
  });
}

/** The backends to test: the one picked by default, the WebAssembly build, and node:sqlite where this Node has it. */
const BACKENDS = ["", "wasm", ...(process.getBuiltinModule?.("node:sqlite") ? ["node:sqlite"] : [])];

for (const backend of BACKENDS) {
  test(`a writer killed with SIGKILL at any moment leaves only whole blobs and consistent records (${backend || `default: ${sqliteBackend().name}`})`, async () => {
    const before = process.env.MLNB_SQLITE;
    // The writer inherits the variable; this process opens through the same backend.
    process.env.MLNB_SQLITE = backend;
    try {
      // Six rounds on the WebAssembly build: each kill that lands mid-transaction costs the next opener its 5 s stale-lock wait.
      await crashRounds(backend === "wasm" ? 6 : 10);
    } finally {
      if (before === undefined) delete process.env.MLNB_SQLITE;
      else process.env.MLNB_SQLITE = before;
    }
  });
}

async function crashRounds(rounds: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "mlnb-crash-"));
  const tempFiles = new Set<string>();
  const verified = new Set<string>();
  try {
    for (let round = 0; round < rounds; round++) {
      await killMidWrite(dir, 5 + ((round * 37) % 120));
      const blobDir = join(dir, "blobs");
      // temp files of `write` (the stage output path) lie in blobs/ itself
      for (const name of readdirSync(blobDir)) if (name.startsWith(".tmp-")) tempFiles.add(name);
      for (const sub of readdirSync(blobDir)) {
        if (sub.startsWith(".tmp-")) continue;
        for (const name of readdirSync(join(blobDir, sub))) {
          if (name.startsWith(".tmp-")) {
            tempFiles.add(name);
            continue;
          }
          if (verified.has(sub + name)) continue;
          verified.add(sub + name);
          const hash = createHash("sha256").update(readFileSync(join(blobDir, sub, name))).digest("hex");
          assert.equal(hash, sub + name, `round ${round}: blob ${sub}/${name} holds other bytes than its name says`);
        }
      }
      // Opened writable: the first opener after a kill rolls back a half transaction (a hot journal).
      const db = openDatabase(join(dir, "runs.sqlite"));
      assert.equal(db.pragma("integrity_check", { simple: true }), "ok");
      db.close();
      const store = openStore({ dir });
      for (const summary of store.listRuns()) {
        for (const stageRun of store.getRun(summary.id)!.stageRuns) {
          for (const output of stageRun.outputs) for (const part of output.parts) assert.ok(store.blobs.has(part.hash), `round ${round}: stage run ${stageRun.id} points at missing blob ${part.hash}`);
        }
      }
      const hit = store.findCached("big", "c", "p", 0, {});
      assert.ok(hit, "the first record (written before the child said ready) survives");
      const values = await store.loadOutputs(hit.outputs);
      assert.equal((values.big as Uint8Array).byteLength, 8 << 20);
      store.close();
    }
    // Evidence that kills landed mid-write: temp files the writer never got to rename.
    assert.ok(tempFiles.size > 0, "no kill landed during a blob write; the test did not test anything");
    // Opening the store sweeps temp files older than a minute; the rest go with sweepTemp(0).
    const leftTemp = () => readdirSync(join(dir, "blobs"), { recursive: true, encoding: "utf8" }).filter((f) => f.split(/[\\/]/).pop()!.startsWith(".tmp-")).length;
    const store = openStore({ dir });
    const left = leftTemp();
    assert.ok(left <= tempFiles.size);
    assert.equal(store.blobs.sweepTemp(0), left);
    assert.equal(leftTemp(), 0);
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
