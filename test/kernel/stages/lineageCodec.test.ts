// Tests that a table's lineage travels beside its encoded bytes (never in its hash), so the leakage guard survives a codec round trip.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as aq from "arquero";
import { createLibraryCodecs } from "../../../kernel/stages/libraryCodecs.js";
import { isEncoded, type EncodedValue } from "../../../kernel/stages/codecs/index.js";
import { split } from "../../../kernel/ml/split/index.js";
import * as prep from "../../../kernel/ml/prep/index.js";
import { checkLeakage, checkTransform, DataLeakageError, lineageOf, nextSplitId, leakageWarnings, setLeakageMode } from "../../../kernel/ml/lineage.js";

type Table = aq.ColumnTable;
const codecs = createLibraryCodecs();
const table = () => aq.table({ x: Array.from({ length: 20 }, (_, i) => i), y: Array.from({ length: 20 }, (_, i) => i % 2) });

async function encoded(value: unknown): Promise<EncodedValue> {
  const e = await codecs.encode(value);
  assert.ok(isEncoded(e));
  return e;
}

/** Encode every table, then decode them all: one stage restore. */
async function roundTrip<T extends Record<string, unknown>>(values: T): Promise<T> {
  const stored = await Promise.all(Object.values(values).map((v) => encoded(v)));
  // JSON text in between, as the store keeps it
  const back = await Promise.all(stored.map((e) => codecs.decode({ ...e, sidecar: JSON.parse(JSON.stringify(e.sidecar ?? null)) ?? undefined })));
  return Object.fromEntries(Object.keys(values).map((k, i) => [k, back[i]])) as T;
}

test("refuses a scaler fitted on a test partition restored from its encoding", async () => {
  const { test: held } = split.trainTestSplit(aq.table({ x: [1, 2, 3, 4, 5, 6, 7, 8] }), { seed: 1 });
  const back = (await codecs.decode(await codecs.encode(held))) as Table;
  assert.notEqual(back, held);
  assert.throws(() => prep.standardScaler({ columns: ["x"] }).fit(back), { name: "DataLeakageError" });
});

test("gives a table the same hash whatever its lineage or the split ids of this process", async () => {
  const data = aq.table({ x: [1, 2, 3, 4, 5, 6, 7, 8] });
  const first = split.trainTestSplit(data, { seed: 1 }).test;
  for (let i = 0; i < 5; i++) nextSplitId();
  const second = split.trainTestSplit(aq.table({ x: [1, 2, 3, 4, 5, 6, 7, 8] }), { seed: 1 }).test;
  assert.notEqual(lineageOf(first)!.partitions[0].split, lineageOf(second)!.partitions[0].split);
  const plain = aq.table({ x: first.array("x") as number[] });
  const [a, b, c] = await Promise.all([encoded(first), encoded(second), encoded(plain)]);
  assert.equal(a.hash, b.hash);
  assert.equal(a.hash, c.hash);
  assert.equal(c.sidecar, undefined, "a table no verb has seen has no lineage to keep");
  assert.deepEqual((a.sidecar as { lineage: { partitions: { name: string }[] } }).lineage.partitions.map((t) => t.name), ["test"]);
});

test("counts restored train and test as one split: fit on train, transform both", async () => {
  const { train, test: held } = await roundTrip(split.trainTestSplit(table(), { seed: 2 }));
  const scaler = prep.standardScaler({ columns: ["x"] }).fit(train);
  assert.equal(scaler.transform(train).numRows(), 15);
  assert.equal(scaler.transform(held).numRows(), 5);
  assert.equal(lineageOf(train)!.partitions[0].split, lineageOf(held)!.partitions[0].split);
  assert.deepEqual(lineageOf(held)!.partitions.map((t) => [t.name, t.role]), [["test", "test"]]);
});

test("catches a fit on the restored unsplit table and on a derivative of the restored test", async () => {
  const data = table();
  const { test: held } = split.trainTestSplit(data, { seed: 3 });
  const back = await roundTrip({ data, held });
  assert.throws(() => checkLeakage(back.data, "SimpleImputer.fit"), /contains rows of test partition "test"/);
  assert.throws(() => checkLeakage(back.held.derive({ w: (d: any) => d.x + 1 }).filter((d: any) => d.x > 2), "fit"), DataLeakageError);
  assert.throws(() => checkLeakage(back.data.filter((d: any) => d.x >= 0), "fit on filtered"), DataLeakageError);
});

test("catches a transformer fitted before the split and applied to the restored test", async () => {
  const data = table();
  const before = prep.standardScaler({ columns: ["x"] }).fit(data);
  const { train, test: held } = await roundTrip(split.trainTestSplit(data, { seed: 4 }));
  before.transform(train);
  assert.throws(() => before.transform(held.filter((d: any) => d.x > 3)), /fitted before the split/);
});

test("keeps exact root rows through filter, orderby and slice before the encoding", async () => {
  const { train } = split.trainTestSplit(table(), { seed: 5 });
  const view = train.filter((d: any) => d.x > 4).orderby(aq.desc("x")).slice(0, 6);
  const { back } = await roundTrip({ back: view });
  const rows = [...(lineageOf(back)!.rows.values().next().value as Uint32Array)];
  assert.deepEqual(rows, (back.array("x") as number[]).map(Number));
  const sub = back.filter((d: any) => d.x % 2 === 0);
  const subRows = [...(lineageOf(sub)!.rows.values().next().value as Uint32Array)];
  assert.deepEqual(subRows, (sub.array("x") as number[]).map(Number));
});

test("accepts cross-validation on restored folds and catches a fold-0 fit applied to fold 1", async () => {
  const folds = split.kFold(table(), { k: 3, shuffle: true, seed: 6 });
  const back = await roundTrip({ t0: folds[0].train, v0: folds[0].test, v1: folds[1].test });
  const fit0 = checkLeakage(back.t0, "fit");
  checkTransform(fit0, back.v0, "transform");
  assert.throws(() => checkTransform(fit0, back.v1, "transform"), /partition "fold-1"/);
  assert.throws(() => checkLeakage(back.v1, "fit on a held-out fold"), DataLeakageError);
});

test("keeps the grouping of a restored partition along with its lineage", async () => {
  const { test: held } = split.trainTestSplit(table(), { seed: 7 });
  const { back } = await roundTrip({ back: held.groupby("y") });
  assert.deepEqual(back.groups()?.names, ["y"]);
  assert.throws(() => checkLeakage(back, "fit on grouped test"), DataLeakageError);
});

test("still warns in warn mode about a fit on a restored test partition", async () => {
  const { test: held } = split.trainTestSplit(table(), { seed: 8 });
  const { back } = await roundTrip({ back: held });
  setLeakageMode("warn");
  try {
    checkLeakage(back, "OneHotEncoder.fit");
    assert.match(leakageWarnings()[0]!, /OneHotEncoder\.fit was fitted on rows of the test partition "test" of trainTestSplit #\d+ of table#\d+/);
  } finally {
    setLeakageMode("error");
  }
});

test("restores a table whose sidecar this build does not read as a plain table", async () => {
  const { test: held } = split.trainTestSplit(table(), { seed: 9 });
  const e = await encoded(held);
  const back = (await codecs.decode({ ...e, sidecar: { lineage: { v: 99 } } })) as Table;
  assert.deepEqual(back.objects(), held.objects());
  assert.equal(lineageOf(back), undefined);
});

test("catches a restored transformer fitted before the split when it is applied to the test partition", async () => {
  const data = table();
  const scaler = prep.standardScaler({ columns: ["x"] }).fit(data);
  const chain = prep.pipeline([prep.simpleImputer({ columns: ["x"] }), prep.minMaxScaler({ columns: ["x"] })]).fit(data);
  const byGroup = prep.columns({ num: [["x"], prep.robustScaler()] }).fit(data);
  const { train, test: held } = split.trainTestSplit(data, { seed: 10 });
  const [s, c, g] = await Promise.all([scaler, chain, byGroup].map(async (t) => (await codecs.decode(await codecs.encode(t))) as prep.Transformer));
  assert.deepEqual(s!.transform(train).array("x"), scaler.transform(train).array("x"));
  for (const t of [s!, c!, g!]) assert.throws(() => t.transform(held), /fitted before the split/, t.type);
});

test("lets a restored transformer fitted on the train partition transform the restored test, with an unchanged hash", async () => {
  const { train, test: held } = split.trainTestSplit(table(), { seed: 13 });
  const chain = prep.pipeline([prep.simpleImputer({ columns: ["x"] }), prep.standardScaler({ columns: ["x"] })]).fit(train);
  const back = await roundTrip({ chain, held });
  assert.ok((await encoded(chain)).sidecar);
  assert.equal((await encoded(back.chain)).hash, (await encoded(chain)).hash);
  assert.equal((await encoded(back.chain)).hash, (await encoded(prep.fromJSON(chain.toJSON()))).hash);
  assert.deepEqual(back.chain.transform(back.held).array("x"), chain.transform(held).array("x"));
});
