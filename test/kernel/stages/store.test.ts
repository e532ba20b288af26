// Tests of the run store: recording stage runs, cache hits and misses, restores, history.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import * as aq from "arquero";
import { createCodecRegistry, type Encoding } from "../../../kernel/stages/codecs/index.js";
import { codeHash, inputsHash, paramsHash } from "../../../kernel/stages/cacheKey.js";
import { diffRuns, openStore, storeDirFor, type RunStore } from "../../../kernel/stages/store/index.js";
import { sqliteBackend } from "../../../kernel/sqlite/open.js";

const codecs = createCodecRegistry();
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function freshStore(clockStart = 1_000_000): { store: RunStore; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), "mlnb-store-"));
  dirs.push(dir);
  let now = clockStart;
  return { store: openStore({ dir, codecs, clock: () => (now += 1000) }), dir };
}

const CODE = codeHash("const clean = raw.filter((d) => d.x > 0);");
const PARAMS = paramsHash({ epochs: 5 });

async function recordClean(store: RunStore, runId: number, outputs: Record<string, unknown>, over: Partial<Parameters<RunStore["recordStageRun"]>[0]> = {}) {
  const encoded: Record<string, Encoding> = {};
  for (const [k, v] of Object.entries(outputs)) encoded[k] = await codecs.encode(v);
  return store.recordStageRun({ runId, stage: "clean", codeHash: CODE, paramsHash: PARAMS, seed: 42, inputs: [{ name: "raw", hash: "a".repeat(64), fromStage: "ingest" }], outputs: encoded, status: "ok", durationMs: 12_300, ...over });
}

test("finds a cached stage run only when code, params, seed and inputs all match", async () => {
  const { store } = freshStore();
  const run = store.beginRun({ notebook: "p.mlnb", seed: 42, params: { epochs: 5 } });
  const { stageRunId } = await recordClean(store, run, { clean: aq.table({ x: [1, 2] }), n: 2 });
  const inputs = { raw: "a".repeat(64) };
  const hit = store.findCached("clean", CODE, PARAMS, 42, inputs);
  assert.ok(hit);
  assert.equal(hit.stageRunId, stageRunId);
  assert.equal(hit.runId, run);
  assert.equal(hit.durationMs, 12_300);
  assert.deepEqual(hit.outputs.map((o) => [o.name, o.kind, o.shape]), [["clean", "table", "2×1"], ["n", "json", "number"]]);
  assert.equal(store.findCached("clean", codeHash("const clean = raw;"), PARAMS, 42, inputs), undefined, "other code");
  assert.equal(store.findCached("clean", CODE, paramsHash({ epochs: 6 }), 42, inputs), undefined, "other params");
  assert.equal(store.findCached("clean", CODE, PARAMS, 43, inputs), undefined, "other seed");
  assert.equal(store.findCached("clean", CODE, PARAMS, 42, { raw: "b".repeat(64) }), undefined, "other input hash");
  assert.equal(store.findCached("clean", CODE, PARAMS, 42, { ...inputs, extra: "c".repeat(64) }), undefined, "another input");
  assert.equal(store.findCached("train", CODE, PARAMS, 42, inputs), undefined, "other stage");
  store.close();
});

test("restores cached outputs equal to the originals", async () => {
  const { store } = freshStore();
  const run = store.beginRun({ notebook: "p.mlnb" });
  const table = aq.table({ x: [1, 2, 3], s: ["a", "b", "c"] });
  await recordClean(store, run, { clean: table, stats: { mean: 2, cols: ["x", "s"] }, w: new Float32Array([0.5, 1]) });
  const hit = store.findCached("clean", CODE, PARAMS, 42, { raw: "a".repeat(64) })!;
  const values = await store.loadOutputs(hit.outputs);
  assert.deepEqual((values.clean as aq.ColumnTable).objects(), table.objects());
  assert.deepEqual(values.stats, { mean: 2, cols: ["x", "s"] });
  assert.deepEqual(values.w, new Float32Array([0.5, 1]));
  store.close();
});

test("never caches a stage with an opaque output or a failed stage", async () => {
  const { store } = freshStore();
  const run = store.beginRun({ notebook: "p.mlnb" });
  const { outputs } = await recordClean(store, run, { clean: aq.table({ x: [1] }), fn: () => 1 });
  assert.deepEqual(outputs[1], { name: "fn", kind: "opaque", shape: "function fn", reason: "value is a function fn", meta: {}, parts: [], size: 0 });
  assert.equal(store.findCached("clean", CODE, PARAMS, 42, { raw: "a".repeat(64) }), undefined);
  await recordClean(store, run, {}, { status: "error", error: "TypeError: boom" });
  assert.equal(store.findCached("clean", CODE, PARAMS, 42, { raw: "a".repeat(64) }), undefined);
  store.close();
});

test("returns the latest matching run and skips one whose blobs are gone", async () => {
  const { store, dir } = freshStore();
  const run = store.beginRun({ notebook: "p.mlnb" });
  const first = await recordClean(store, run, { n: 1 });
  const second = await recordClean(store, run, { n: 2 });
  const key = ["clean", CODE, PARAMS, 42, { raw: "a".repeat(64) }] as const;
  assert.equal(store.findCached(...key)!.stageRunId, second.stageRunId);
  const blob = second.outputs[0]!.parts[0]!.hash;
  rmSync(join(dir, "blobs", blob.slice(0, 2), blob.slice(2)));
  assert.equal(store.findCached(...key)!.stageRunId, first.stageRunId);
  store.close();
});

test("refuses to restore a blob whose content does not match its hash", async () => {
  const { store, dir } = freshStore();
  const run = store.beginRun({ notebook: "p.mlnb" });
  const { outputs } = await recordClean(store, run, { n: 12345 });
  const blob = outputs[0]!.parts[0]!.hash;
  writeFileSync(join(dir, "blobs", blob.slice(0, 2), blob.slice(2)), "99999");
  await assert.rejects(store.loadOutputs(outputs), /blob [0-9a-f]{12} is corrupt/);
  store.close();
});

test("records a cache restore pointing at the original stage run", async () => {
  const { store } = freshStore();
  const run1 = store.beginRun({ notebook: "p.mlnb" });
  const original = await recordClean(store, run1, { n: 1 });
  const run2 = store.beginRun({ notebook: "p.mlnb" });
  const hit = store.findCached("clean", CODE, PARAMS, 42, { raw: "a".repeat(64) })!;
  const outputs = Object.fromEntries(hit.outputs.map((o) => [o.name, o]));
  store.recordStageRun({ runId: run2, stage: "clean", codeHash: CODE, paramsHash: PARAMS, seed: 42, inputs: [{ name: "raw", hash: "a".repeat(64) }], outputs, status: "cached", durationMs: 3, cachedFrom: hit.stageRunId });
  const detail = store.getRun(run2)!;
  assert.equal(detail.cached, 1);
  assert.equal(detail.stageRuns[0]!.cachedFrom, original.stageRunId);
  assert.equal(detail.stageRuns[0]!.outputs[0]!.hash, original.outputs[0]!.hash);
  assert.equal(store.findCached("clean", CODE, PARAMS, 42, { raw: "a".repeat(64) })!.stageRunId, original.stageRunId, "a restore is not itself a cache source");
  store.close();
});

test("lists runs newest first with params and metrics, and diffs two runs", async () => {
  const { store } = freshStore();
  const a = store.beginRun({ notebook: "p.mlnb", seed: 1, params: { epochs: 5, lr: 0.1 } });
  await recordClean(store, a, { n: 1 }, { metrics: [{ name: "f1", value: 0.8 }], loggedParams: { layers: 2 } });
  store.endRun(a, "ok");
  const b = store.beginRun({ notebook: "p.mlnb", seed: 1, params: { epochs: 10, lr: 0.1 } });
  await recordClean(store, b, { n: 2 }, { codeHash: codeHash("const clean = 2;"), metrics: [{ name: "f1", value: 0.85 }] });
  store.endRun(b, "ok");
  store.beginRun({ notebook: "other.mlnb" });
  const runs = store.listRuns({ notebook: "p.mlnb" });
  assert.deepEqual(runs.map((r) => [r.id, r.status, r.params, r.metrics, r.stages]), [
    [b, "ok", { epochs: 10, lr: 0.1 }, { f1: 0.85 }, 1],
    [a, "ok", { epochs: 5, lr: 0.1 }, { f1: 0.8 }, 1],
  ]);
  assert.equal(store.listRuns().length, 3);
  assert.deepEqual(store.getRun(a)!.stageRuns[0]!.loggedParams, { layers: 2 });
  const diff = diffRuns(store.getRun(a)!, store.getRun(b)!);
  assert.deepEqual(diff.params, [{ key: "epochs", a: 5, b: 10 }]);
  assert.deepEqual(diff.code.map((c) => c.key), ["clean"]);
  assert.deepEqual(diff.outputs.map((c) => c.key), ["clean.n"]);
  assert.deepEqual(diff.metrics, [{ key: "f1", a: 0.8, b: 0.85 }]);
  store.close();
});

test("keeps the cache across reopening the store", async () => {
  const { store, dir } = freshStore();
  const run = store.beginRun({ notebook: "p.mlnb" });
  await recordClean(store, run, { n: 7 });
  store.close();
  const again = openStore({ dir, codecs });
  const hit = again.findCached("clean", CODE, PARAMS, 42, { raw: "a".repeat(64) })!;
  assert.deepEqual(await again.loadOutputs(hit.outputs), { n: 7 });
  // Native SQLite keeps a write-ahead log; the WebAssembly build (no shared memory) a rollback journal, gone after each commit.
  const journal = sqliteBackend().name === "wasm" ? [] : ["runs.sqlite-shm", "runs.sqlite-wal"];
  assert.deepEqual(readdirSync(dir).sort(), [".gitignore", "blobs", "runs.sqlite", ...journal]);
  again.close();
});

test("ignores comments and formatting in code hashes but not real edits", () => {
  assert.equal(codeHash("const a = f(x); // note"), codeHash("// header\nconst a   =   f(x)\n"));
  assert.notEqual(codeHash("const a = f(x);"), codeHash("const a = f(y);"));
  assert.equal(paramsHash({ a: 1, b: 2 }), paramsHash({ b: 2, a: 1 }));
  assert.equal(paramsHash({ a: 1, b: 2 }, ["a"]), paramsHash({ a: 1 }));
  assert.notEqual(paramsHash({ a: 1 }), paramsHash({ a: "1" }));
  assert.equal(inputsHash({ x: "1", y: "2" }), inputsHash({ y: "2", x: "1" }));
  assert.equal(storeDirFor(join("notebooks", "penguins.mlnb")), join("notebooks", ".mlnb"));
});

test("refuses a store written by a newer schema version instead of damaging it", async () => {
  const { SCHEMA_VERSION } = await import("../../../kernel/stages/store/index.js");
  const Database = (await import("better-sqlite3")).default;
  const { store, dir } = freshStore();
  store.close();
  const db = new Database(join(dir, "runs.sqlite"));
  assert.equal(db.pragma("user_version", { simple: true }), SCHEMA_VERSION);
  db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  db.close();
  assert.throws(() => openStore({ dir }), new RegExp(`run store schema version ${SCHEMA_VERSION + 1} is newer than this mlnb understands \\(${SCHEMA_VERSION}\\); upgrade mlnb`));
});
