// Tests for read.json, read.ndjson (whole and in batches), read.parquet and read.arrow on vega-datasets files.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as aq from "arquero";
import { read, inputsRead, resetInputs } from "../../../../kernel/ml/read/index.js";
import { lineageOf } from "../../../../kernel/ml/lineage.js";
import { split } from "../../../../kernel/ml/split/index.js";

const DATA = "node_modules/vega-datasets/data";
const dir = mkdtempSync(join(tmpdir(), "mlnb-fmt-"));

test("reads penguins.json with its nulls", async () => {
  const t = await read(`${DATA}/penguins.json`);
  assert.equal(t.numRows(), 344);
  assert.equal(t.get("Species", 0), "Adelie");
  assert.equal(t.get("Beak Length (mm)", 0), 39.1);
  assert.equal(t.get("Sex", 3), null);
});

test("turns ISO date strings of a JSON column into dates", async () => {
  const p = join(dir, "d.json");
  writeFileSync(p, JSON.stringify([{ when: "2020-05-01", v: 1 }, { when: null, v: 2 }]));
  const t = await read.json(p);
  assert.ok(t.get("when", 0) instanceof Date);
  assert.equal((t.get("when", 0) as Date).toISOString(), "2020-05-01T00:00:00.000Z");
});

test("names the line and column of invalid JSON", async () => {
  const p = join(dir, "bad.json");
  writeFileSync(p, '[\n  {"a": 1},\n  {"a": }\n]');
  await assert.rejects(read.json(p), /bad\.json:3:\d+: invalid JSON/);
});

test("reads NDJSON whole and in batches with distinct row lineage per batch", async () => {
  const cars = JSON.parse(readFileSync(`${DATA}/cars.json`, "utf8")) as object[];
  const p = join(dir, "cars.ndjson");
  writeFileSync(p, cars.map((c) => JSON.stringify(c)).join("\n") + "\n");
  resetInputs();
  const whole = await read(p);
  assert.equal(whole.numRows(), cars.length);
  const sizes: number[] = [];
  const batches: aq.ColumnTable[] = [];
  for await (const b of read.ndjsonBatches(p, { batchSize: 100 })) { sizes.push(b.numRows()); batches.push(b); }
  assert.deepEqual(sizes, [100, 100, 100, 100, cars.length - 400]);
  assert.deepEqual(batches[4].array("Name"), whole.array("Name").slice(400));
  const rows1 = [...lineageOf(batches[1])!.rows.values()][0] as Uint32Array;
  assert.equal(rows1[0], 100);
  assert.deepEqual(inputsRead().map((i) => i.format), ["ndjson"]);
  const all = await read.collect(read.ndjsonBatches(p, { batchSize: 150 }));
  assert.equal(all.numRows(), cars.length);
});

test("names the line of a bad NDJSON record", async () => {
  const p = join(dir, "bad.ndjson");
  writeFileSync(p, '{"a":1}\n{"a":2}\n{"a":\n');
  await assert.rejects(read.ndjson(p), /bad\.ndjson:3:\d+: invalid JSON/);
  const consume = async () => { for await (const _ of read.ndjsonBatches(p)) void _; };
  await assert.rejects(consume(), /bad\.ndjson:3/);
});

test("reads a row range of the zstd-compressed flights-3m.parquet", async () => {
  const t = await read.parquet(`${DATA}/flights-3m.parquet`, { rowEnd: 1000 });
  assert.equal(t.numRows(), 1000);
  assert.deepEqual(t.columnNames(), ["date", "delay", "distance", "origin", "destination"]);
  assert.equal(t.get("origin", 0), "LAS");
  assert.equal(t.get("distance", 0), 2176);
  assert.ok(t.get("date", 0) instanceof Date);
});

test("reads flights-200k.arrow and its lineage survives a split", async () => {
  const t = await read(`${DATA}/flights-200k.arrow`);
  assert.equal(t.numRows(), 200_000);
  assert.deepEqual(t.columnNames(), ["delay", "distance", "time"]);
  const { test: held } = split.trainTestSplit(t.filter((d: any) => d.distance > 1000), { seed: 1 });
  const lin = lineageOf(held)!;
  assert.equal(lin.partitions[0].name, "test");
  assert.match(lin.partitions[0].of, /flights-200k\.arrow/);
});
