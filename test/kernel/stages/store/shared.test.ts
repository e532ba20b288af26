// Tests of the shared run store against a real PostgreSQL, with blobs in a shared folder and in an S3 stand-in.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import * as aq from "arquero";
import { createCodecRegistry, type Encoding } from "../../../../kernel/stages/codecs/index.js";
import { codeHash, paramsHash } from "../../../../kernel/stages/cacheKey.js";
import { openStore, type RunStore } from "../../../../kernel/stages/store/index.js";
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
