// Tests that the run store keeps a table's lineage beside its value, so a split restored in another process still guards against leakage.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as aq from "arquero";
import Database from "better-sqlite3";
import { createLibraryCodecs } from "../../../kernel/stages/libraryCodecs.js";
import { canonicalJson, createCodecRegistry, isEncoded, sha256, type Encoding } from "../../../kernel/stages/codecs/index.js";
import { openStore, SCHEMA_VERSION, type RunStore } from "../../../kernel/stages/store/index.js";
import { codeHash, paramsHash } from "../../../kernel/stages/cacheKey.js";
import { read } from "../../../kernel/ml/read/index.js";
import { split } from "../../../kernel/ml/split/index.js";
import * as prep from "../../../kernel/ml/prep/index.js";
import { checkLeakage, checkTransform, DataLeakageError, lineageOf, nextSplitId } from "../../../kernel/ml/lineage.js";

type Table = aq.ColumnTable;
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "mlnb-lineage-"));
  dirs.push(dir);
  return dir;
};
const PARAMS = paramsHash({});

function pointsCsv(): string {
  const csv = join(tempDir(), "points.csv");
  writeFileSync(csv, `x,y\n${Array.from({ length: 40 }, (_, i) => `${i},${i % 3}`).join("\n")}\n`);
  return csv;
}

/** A CSV file and a store in which another process ran the "split" stage on it with `seed`. */
function splitInChild(seed: number, csv = pointsCsv()): { dir: string; csv: string; hashes: Record<string, string>; splitId: number } {
  const dir = tempDir();
  const script = new URL("./lineageWriter.js", import.meta.url).pathname;
  const out = execFileSync(process.execPath, [script, join(dir, ".mlnb"), csv, String(seed)], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return { dir: join(dir, ".mlnb"), csv, ...(JSON.parse(out) as { hashes: Record<string, string>; splitId: number }) };
}

async function restore(dir: string, seed: number): Promise<{ store: RunStore; values: Record<string, Table> }> {
  const store = openStore({ dir, codecs: createLibraryCodecs() });
  const hit = store.findCached("split", codeHash(`split ${seed}`), PARAMS, 0, {});
  assert.ok(hit, "the child's stage run is a cache hit");
  return { store, values: (await store.loadOutputs(hit.outputs)) as Record<string, Table> };
}

test("guards a split restored from the store in a process whose split ids differ", async () => {
  const child = splitInChild(11);
  while (nextSplitId() < child.splitId + 100);
  const { store, values: v } = await restore(child.dir, 11);
  store.close();
  assert.notEqual(lineageOf(v.test)!.partitions[0]!.split, child.splitId);
  assert.equal(lineageOf(v.train)!.partitions[0]!.split, lineageOf(v.test)!.partitions[0]!.split, "train and test are still one split");
  assert.throws(() => prep.standardScaler({ columns: ["x"] }).fit(v.test), { name: "DataLeakageError" });
  assert.throws(() => checkLeakage(v.data, "SimpleImputer.fit"), /contains rows of test partition "test" of trainTestSplit #\d+ of .*points\.csv/);
  const again = await read.csv(child.csv);
  assert.throws(() => checkLeakage(again, "fit on the file read again"), DataLeakageError);
  const scaler = prep.standardScaler({ columns: ["x"] }).fit(v.train);
  assert.equal(scaler.transform(v.test).numRows(), 10);
  const before = v.before as unknown as prep.Transformer;
  assert.equal(before.transform(v.train).numRows(), 30);
  assert.throws(() => before.transform(v.test), /fitted before the split/);
  // the in-memory root of the folds is another process's: its rows are not this process's table#N
  const fit0 = checkLeakage(v.f0train, "fit");
  checkTransform(fit0, v.f0test, "transform");
  assert.throws(() => checkTransform(fit0, v.f1test, "transform"), /partition "fold-1"/);
  assert.throws(() => checkLeakage(v.mem.filter((d: any) => d.v > 0).concat(v.f0test), "fit"), DataLeakageError);
  checkLeakage(aq.table({ v: Array.from({ length: 12 }, (_, i) => i * 10) }), "fit on an unrelated table of this process");
});

test("gives the split made here the hashes of the one made in another process, and one split id", async () => {
  const seed = 12;
  const csv = pointsCsv();
  const here = split.trainTestSplit(await read.csv(csv), { seed });
  const child = splitInChild(seed, csv);
  const codecs = createLibraryCodecs();
  const { store, values: v } = await restore(child.dir, seed);
  const stored = store.findCached("split", codeHash(`split ${seed}`), PARAMS, 0, {})!.outputs;
  for (const name of ["train", "test"] as const) {
    const e = await codecs.encode(here[name]);
    assert.ok(isEncoded(e));
    assert.equal(e.hash, child.hashes[name], `${name} hashes equal`);
    // split keys and file roots are named by content: even the lineage beside the value is the same
    assert.equal(sha256(canonicalJson(e.sidecar!)), stored.find((o) => o.name === name)!.sidecar!.hash, `${name} sidecars equal`);
  }
  store.close();
  assert.equal(lineageOf(v.test)!.partitions[0]!.split, lineageOf(here.test)!.partitions[0]!.split, "same rows split the same way: the same split");
  prep.standardScaler({ columns: ["x"] }).fit(here.train).transform(v.test);
  assert.throws(() => checkLeakage(here.train.concat(v.test), "fit on train + restored test"), DataLeakageError);
});

test("keeps a table's lineage as a sidecar blob beside its output, out of its hash", async () => {
  const dir = tempDir();
  const store = openStore({ dir, codecs: createLibraryCodecs() });
  const run = store.beginRun({ notebook: "p.mlnb" });
  const { train, test: held } = split.trainTestSplit(aq.table({ x: [1, 2, 3, 4, 5, 6, 7, 8] }), { seed: 1 });
  const codecs = createLibraryCodecs();
  const encoded: Record<string, Encoding> = { train: await codecs.encode(train), held: await codecs.encode(held), n: await codecs.encode(2) };
  const code = codeHash("split");
  const { outputs } = store.recordStageRun({ runId: run, stage: "split", codeHash: code, paramsHash: PARAMS, seed: 0, outputs: encoded, status: "ok", durationMs: 4 });
  const plain = await createCodecRegistry().encode(aq.table({ x: held.array("x") as number[] }));
  assert.ok(isEncoded(plain));
  assert.equal(outputs[1]!.hash, plain.hash);
  assert.ok(outputs[1]!.sidecar && store.blobs.has(outputs[1]!.sidecar.hash));
  assert.equal(outputs[1]!.sidecar.size, store.blobs.size(outputs[1]!.sidecar.hash));
  assert.equal(outputs[2]!.sidecar, undefined, "JSON values have none");
  const hit = store.findCached("split", code, PARAMS, 0, {})!;
  assert.deepEqual(hit.outputs, outputs);
  // a cache restore records the same outputs, sidecars included
  const run2 = store.beginRun({ notebook: "p.mlnb" });
  store.recordStageRun({ runId: run2, stage: "split", codeHash: code, paramsHash: PARAMS, seed: 0, outputs: Object.fromEntries(hit.outputs.map((o) => [o.name, o])), status: "cached", durationMs: 1, cachedFrom: hit.stageRunId });
  assert.deepEqual(store.getRun(run2)!.stageRuns[0]!.outputs, outputs);
  const values = await store.loadOutputs(store.getRun(run2)!.stageRuns[0]!.outputs);
  assert.throws(() => checkLeakage(values.held as Table, "fit"), DataLeakageError);
  // without its sidecar a table would come back unguarded: that stored run is no cache hit
  const side = outputs[0]!.sidecar!.hash;
  rmSync(join(dir, "blobs", side.slice(0, 2), side.slice(2)));
  assert.equal(store.findCached("split", code, PARAMS, 0, {}), undefined);
  store.close();
});

test("migrates a version 1 store: its outputs restore, without sidecars", async () => {
  assert.ok(SCHEMA_VERSION >= 2);
  const dir = tempDir();
  const store = openStore({ dir, codecs: createLibraryCodecs() });
  const run = store.beginRun({ notebook: "p.mlnb" });
  store.recordStageRun({ runId: run, stage: "s", codeHash: codeHash("s"), paramsHash: PARAMS, seed: 0, outputs: { t: await createCodecRegistry().encode(aq.table({ x: [1, 2] })) }, status: "ok", durationMs: 1 });
  store.close();
  // turn it back into the version 1 layout
  const db = new Database(join(dir, "runs.sqlite"));
  db.exec("ALTER TABLE outputs DROP COLUMN sidecar_hash; ALTER TABLE outputs DROP COLUMN sidecar_size; ALTER TABLE stage_runs DROP COLUMN displays; ALTER TABLE stage_runs DROP COLUMN declarations; ALTER TABLE runs DROP COLUMN pid; ALTER TABLE runs DROP COLUMN host;");
  db.pragma("user_version = 1");
  db.close();
  const again = openStore({ dir, codecs: createLibraryCodecs() });
  const hit = again.findCached("s", codeHash("s"), PARAMS, 0, {})!;
  assert.equal(hit.outputs[0]!.sidecar, undefined);
  assert.deepEqual(((await again.loadOutputs(hit.outputs)).t as Table).objects(), [{ x: 1 }, { x: 2 }]);
  again.close();
  const check = new Database(join(dir, "runs.sqlite"));
  assert.equal(check.pragma("user_version", { simple: true }), SCHEMA_VERSION);
  assert.deepEqual((check.prepare("SELECT name FROM pragma_table_info('outputs') WHERE name LIKE 'sidecar%'").all() as { name: string }[]).map((r) => r.name), ["sidecar_hash", "sidecar_size"]);
  check.close();
});
