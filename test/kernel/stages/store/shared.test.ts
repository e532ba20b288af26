// Tests of the shared run store against a real PostgreSQL, with blobs in a shared folder and in an S3 stand-in.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import * as aq from "arquero";
import { createCodecRegistry, type Encoding } from "../../../../kernel/stages/codecs/index.js";
import { codeHash, paramsHash } from "../../../../kernel/stages/cacheKey.js";
import { openStore, type CacheHit, type RecordedDisplay, type RunStore } from "../../../../kernel/stages/store/index.js";
import { collectGarbage } from "../../../../kernel/stages/store/gc.js";
import { skipWithoutPostgres as skip, startPostgres, type TestPostgres } from "../../../support/postgres.js";
import { startS3, type TestS3 } from "../../../support/s3server.js";

const codecs = createCodecRegistry();
let pg: TestPostgres | undefined;
let s3: TestS3 | undefined;
const dirs: string[] = [];
const CODE = codeHash("const clean = raw.filter((d) => d.x > 0);");
const PARAMS = paramsHash({ epochs: 5 });
const RAW = { raw: "a".repeat(64) };

before(async () => {
  if (skip) return;
  pg = await startPostgres();
  s3 = await startS3("mlnb-test");
  for (const [k, v] of Object.entries(s3.env)) process.env[k] = v;
});
after(async () => {
  pg?.stop();
  await s3?.stop();
  for (const k of Object.keys(s3?.env ?? {})) delete process.env[k];
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

const folder = () => {
  const d = mkdtempSync(join(tmpdir(), "mlnb-artifacts-"));
  dirs.push(d);
  return d;
};
/** A fresh database per test, so tests do not see each other's runs. */
let dbs = 0;
const freshDb = () => {
  const name = `t${++dbs}`;
  pg!.psql(`CREATE DATABASE ${name}`);
  return pg!.url.replace(/\/postgres$/, `/${name}`);
};

async function recordClean(store: RunStore, runId: number, outputs: Record<string, unknown>, over: Partial<Parameters<RunStore["recordStageRun"]>[0]> = {}) {
  const encoded: Record<string, Encoding> = {};
  for (const [k, v] of Object.entries(outputs)) encoded[k] = await codecs.encode(v);
  return store.recordStageRun({ runId, stage: "clean", codeHash: CODE, paramsHash: PARAMS, seed: 42, inputs: [{ name: "raw", hash: RAW.raw, fromStage: "ingest" }], outputs: encoded, status: "ok", durationMs: 12_300, metrics: [{ name: "rows", value: 3 }], ...over });
}

test("a second process finds and restores what the first recorded, blobs in a shared folder", { skip }, async () => {
  const url = freshDb();
  const artifacts = folder();
  process.env.MLNB_ARTIFACTS = artifacts;
  try {
    const a = openStore({ dir: url, codecs });
    const run = a.beginRun({ notebook: "p.mlnb", seed: 42, params: { epochs: 5 } });
    const table = aq.table({ x: [1, 2, 3], s: ["a", "b", "c"] });
    const { stageRunId, outputs } = await recordClean(a, run, { clean: table, n: 3 });
    a.endRun(run, "ok");
    a.close();
    assert.ok(readdirSync(artifacts).some((d) => /^[0-9a-f]{2}$/.test(d)), "blobs are under the artifact root");

    const b = openStore({ dir: url, codecs });
    const hit = b.findCached("clean", CODE, PARAMS, 42, RAW);
    assert.ok(hit);
    assert.equal(hit.stageRunId, stageRunId);
    assert.deepEqual(hit.outputs, outputs);
    assert.deepEqual(hit.metrics, [{ name: "rows", value: 3 }]);
    const values = await b.loadOutputs(hit.outputs);
    assert.deepEqual((values.clean as aq.ColumnTable).objects(), table.objects());
    assert.equal(values.n, 3);
    assert.equal(b.findCached("clean", CODE, PARAMS, 43, RAW), undefined, "other seed");
    assert.equal(b.findCached("clean", CODE, PARAMS, 42, { raw: "b".repeat(64) }), undefined, "other input");
    const [summary] = b.listRuns({ notebook: "p.mlnb" });
    assert.equal(summary!.status, "ok");
    assert.deepEqual(summary!.params, { epochs: 5 });
    assert.deepEqual(summary!.metrics, { rows: 3 });
    assert.equal(summary!.stages, 1);
    const detail = b.getRun(run)!;
    assert.deepEqual(detail.stageRuns[0]!.inputs, [{ name: "raw", hash: RAW.raw, fromStage: "ingest" }]);
    b.close();
  } finally {
    delete process.env.MLNB_ARTIFACTS;
  }
});

test("answers the same cache lookups as the embedded store for the same records", { skip }, async () => {
  const embedded = openStore({ dir: folder(), codecs, clock: () => 1000 });
  // openStore reads the artifact root from the environment
  process.env.MLNB_ARTIFACTS = folder();
  const sharedStore = openStore({ dir: freshDb(), codecs, clock: () => 1000 });
  delete process.env.MLNB_ARTIFACTS;
  const lookups: [string, string, number, Record<string, string>][] = [
    ["clean", PARAMS, 42, RAW],
    ["clean", paramsHash({ epochs: 6 }), 42, RAW],
    ["clean", PARAMS, 7, RAW],
    ["train", PARAMS, 42, RAW],
  ];
  const answers = [];
  for (const store of [embedded, sharedStore]) {
    const run = store.beginRun({ notebook: "p.mlnb" });
    await recordClean(store, run, { clean: aq.table({ x: [1] }) });
    await recordClean(store, run, { clean: aq.table({ x: [2] }) }, { seed: 7 });
    await recordClean(store, run, { clean: aq.table({ x: [3] }), fn: () => 1 }, { paramsHash: paramsHash({ epochs: 6 }) });
    await recordClean(store, run, {}, { stage: "train", status: "error", error: "boom" });
    answers.push(lookups.map(([stage, p, seed, inputs]) => store.findCached(stage, CODE, p, seed, inputs)?.outputs.map((o) => o.hash) ?? "miss"));
    store.close();
  }
  assert.deepEqual(answers[1], answers[0]);
  assert.equal(answers[0]![2] !== "miss", true);
  assert.deepEqual([answers[0]![1], answers[0]![3]], ["miss", "miss"]);
});

test("keeps blobs in S3 (the s3rver stand-in) with conditional puts, and many writers of one blob agree", { skip }, async () => {
  process.env.MLNB_ARTIFACTS = "s3://mlnb-test/runs";
  const url = freshDb();
  try {
    const stores = [openStore({ dir: url, codecs }), openStore({ dir: url, codecs })];
    const table = aq.table({ x: [5, 6] });
    for (const s of stores) {
      const run = s.beginRun({ notebook: "p.mlnb" });
      await recordClean(s, run, { clean: table });
    }
    const hit = stores[1]!.findCached("clean", CODE, PARAMS, 42, RAW)!;
    assert.equal(stores[1]!.blobs.dir, "s3://mlnb-test/runs");
    assert.ok(stores[0]!.blobs.has(hit.outputs[0]!.parts[0]!.hash));
    const values = await stores[0]!.loadOutputs(hit.outputs);
    assert.deepEqual((values.clean as aq.ColumnTable).objects(), table.objects());
    assert.equal(stores[0]!.listRuns().length, 2);
    assert.throws(() => stores[0]!.blobs.get("0".repeat(64)), /blob 000000000000 is missing from s3:\/\/mlnb-test\/runs/);
    stores.forEach((s) => s.close());
  } finally {
    delete process.env.MLNB_ARTIFACTS;
  }
});

test("names what is missing: no artifact root, a server that is not there", { skip }, () => {
  delete process.env.MLNB_ARTIFACTS;
  assert.throws(() => openStore({ dir: "postgres://mlnb:secret@127.0.0.1:1/x" }), (e: Error) => /set MLNB_ARTIFACTS/.test(e.message) && /mlnb:\*\*\*@127\.0\.0\.1:1/.test(e.message) && !/secret/.test(e.message));
  process.env.MLNB_ARTIFACTS = folder();
  try {
    assert.throws(() => openStore({ dir: "postgres://mlnb:secret@127.0.0.1:1/x" }), (e: Error) => /shared run store postgres:\/\/mlnb:\*\*\*@127\.0\.0\.1:1\/x: cannot connect/.test(e.message) && !/secret/.test(e.message));
  } finally {
    delete process.env.MLNB_ARTIFACTS;
  }
});

/** Open a shared store on `url` with its blobs in `artifacts`. */
function openShared(url: string, artifacts: string): RunStore {
  process.env.MLNB_ARTIFACTS = artifacts;
  try {
    return openStore({ dir: url, codecs });
  } finally {
    delete process.env.MLNB_ARTIFACTS;
  }
}

const SHOWN: { displays: RecordedDisplay[]; declarations: [string, string][] } = { displays: [{ data: { "text/html": "<table><tr><td>3 rows</td></tr></table>", "text/plain": "3 rows" } }, { data: { "text/plain": "3" }, result: true }], declarations: [["clean", "declare const clean: ColumnTable;"]] };
/** A hit without what differs by store (ids, times). */
const comparable = (h: CacheHit | undefined) => h && { outputs: h.outputs, metrics: h.metrics, loggedParams: h.loggedParams, displays: h.displays, declarations: h.declarations };

test("a cache hit from the shared store replays the displays and declarations the embedded store replays", { skip }, async () => {
  const hits = [];
  for (const store of [openStore({ dir: folder(), codecs }), openShared(freshDb(), folder())]) {
    const run = store.beginRun({ notebook: "p.mlnb" });
    await recordClean(store, run, { clean: aq.table({ x: [1, 2, 3] }) }, { ...SHOWN, loggedParams: { lr: 0.1 } });
    hits.push(comparable(store.findCached("clean", CODE, PARAMS, 42, RAW)));
    store.close();
  }
  assert.deepEqual(hits[0]!.declarations, SHOWN.declarations);
  assert.deepEqual(hits[0]!.displays, SHOWN.displays);
  assert.deepEqual(hits[1], hits[0]);
});

test("upgrades a shared store written before declarations and run processes were recorded", { skip }, async () => {
  const url = freshDb();
  const name = url.slice(url.lastIndexOf("/") + 1);
  const artifacts = folder();
  const before = openShared(url, artifacts);
  const old = before.beginRun({ notebook: "p.mlnb" });
  await recordClean(before, old, { clean: aq.table({ x: [1] }) });
  before.close();
  // the schema as the first shared stores wrote it (version 1)
  pg!.psql("ALTER TABLE mlnb_stage_runs DROP COLUMN declarations; ALTER TABLE mlnb_runs DROP COLUMN pid; ALTER TABLE mlnb_runs DROP COLUMN host; UPDATE mlnb_schema SET version = 1", name);
  const after = openShared(url, artifacts);
  try {
    const hit = after.findCached("clean", CODE, PARAMS, 42, RAW);
    assert.equal(hit?.declarations, undefined, "a version 1 row has no declarations");
    const run = after.beginRun({ notebook: "p.mlnb" });
    await recordClean(after, run, { clean: aq.table({ x: [2] }) }, { ...SHOWN, seed: 43 });
    assert.deepEqual(after.findCached("clean", CODE, PARAMS, 43, RAW)?.declarations, SHOWN.declarations);
    assert.equal(pg!.psql("SELECT version FROM mlnb_schema", name).trim(), "2");
  } finally {
    after.close();
  }
});

test("a run whose process was killed is marked aborted the next time the shared store opens", { skip }, async () => {
  const url = freshDb();
  const artifacts = folder();
  const storeModule = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..", "kernel", "stages", "store", "index.js");
  const script = `const { openStore } = await import(${JSON.stringify(storeModule)});
const s = openStore({ dir: ${JSON.stringify(url)} });
console.log("run " + s.beginRun({ notebook: "killed.mlnb" }));
setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { env: { ...process.env, MLNB_ARTIFACTS: artifacts }, stdio: ["ignore", "pipe", "inherit"] });
  const runId = await new Promise<number>((resolve) => child.stdout.on("data", (d) => resolve(Number(/run (\d+)/.exec(String(d))![1]))));
  const live = openShared(url, artifacts);
  assert.equal(live.getRun(runId)!.status, "running", "its process is alive: still running");
  const mine = live.beginRun({ notebook: "live.mlnb" });
  live.close();
  await new Promise((resolve) => {
    child.on("exit", resolve);
    child.kill("SIGKILL");
  });
  const after = openShared(url, artifacts);
  try {
    assert.equal(after.getRun(runId)!.status, "aborted");
    assert.equal(after.getRun(mine)!.status, "running", "this process's own open run is not aborted");
  } finally {
    after.close();
  }
});

test("gc on a shared store deletes the records in PostgreSQL, then the blobs only they needed under the artifact folder", { skip }, async () => {
  const url = freshDb();
  const artifacts = folder();
  const store = openShared(url, artifacts);
  try {
    const ids = [];
    for (const x of [1, 2, 3]) {
      const run = store.beginRun({ notebook: "p.mlnb" });
      await recordClean(store, run, { clean: aq.table({ x: [x] }), unit: "rows" }, { seed: x });
      store.endRun(run, "ok");
      ids.push(run);
    }
    const blobsOf = (id: number) => store.getRun(id)!.stageRuns.flatMap((s) => s.outputs.flatMap((o) => o.parts.map((p) => p.hash)));
    const [first, second, third] = ids.map(blobsOf);
    const hourAgo = (Date.now() - 3600_000) / 1000;
    for (const b of store.blobs.list!()) utimesSync(join(artifacts, b.hash.slice(0, 2), b.hash.slice(2)), hourAgo, hourAgo);
    const r = collectGarbage(store, { keep: 2, graceMs: 0 });
    assert.deepEqual(r.removed.map((x) => x.id), [ids[0]]);
    assert.equal(store.getRun(ids[0]!), undefined);
    assert.deepEqual(store.listRuns().map((x) => x.id), [ids[2], ids[1]]);
    const own = first!.filter((h) => !second!.includes(h) && !third!.includes(h));
    assert.equal(own.length, 1, "the table of run 1 is its own; the string \"rows\" is one blob all share");
    assert.equal(r.blobsRemoved, 1);
    assert.equal(store.blobs.has(own[0]!), false);
    for (const h of [...second!, ...third!]) assert.equal(store.blobs.has(h), true);
    assert.equal(pg!.psql("SELECT COUNT(*) FROM mlnb_outputs", url.slice(url.lastIndexOf("/") + 1)).trim(), "4", "the outputs rows of runs 2 and 3 only");
  } finally {
    store.close();
  }
});
