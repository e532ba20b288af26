// Tests for table lineage through arquero verbs and split, and the leakage guard's decisions.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as aq from "arquero";
import { checkLeakage, checkTransform, DataLeakageError, lineageOf, setLeakageMode, leakageWarnings } from "../../../kernel/ml/lineage.js";
import { split } from "../../../kernel/ml/split/index.js";

const table = () => aq.table({ x: Array.from({ length: 20 }, (_, i) => i), y: Array.from({ length: 20 }, (_, i) => i % 2) });

test("follows a table through derive, filter and select to its root rows", () => {
  const t = table();
  const f = t.derive({ z: (d: any) => d.x * 2 }).filter((d: any) => d.x >= 15).select("x", "z");
  const lin = lineageOf(f)!;
  assert.equal(lin.op, "select");
  assert.equal(lin.parents[0].op, "filter");
  const rows = [...lin.rows.values()][0] as Uint32Array;
  assert.deepEqual([...rows], [15, 16, 17, 18, 19]);
});

test("tags split partitions with their name and keeps the test rows out of train", () => {
  const { train, test: held } = split.trainTestSplit(table(), { testSize: 0.25, seed: 1 });
  assert.equal(train.numRows(), 15);
  assert.equal(held.numRows(), 5);
  assert.equal(lineageOf(train)!.partitions[0].name, "train");
  assert.equal(lineageOf(held)!.partitions[0].name, "test");
  const testRows = new Set([...(lineageOf(held)!.rows.values().next().value as Uint32Array)]);
  assert.deepEqual(new Set(held.array("x") as number[]), testRows);
});

test("raises when a fit sees the test partition and names the fit and the partition", () => {
  const { test: held } = split.trainTestSplit(table(), { seed: 2 });
  assert.throws(() => checkLeakage(held.derive({ w: (d: any) => d.x + 1 }), "StandardScaler.fit"), (e: unknown) =>
    e instanceof DataLeakageError && /StandardScaler\.fit/.test(e.message) && e.partition === "test");
});

test("raises when a fit sees the unsplit table after the split", () => {
  const t = table();
  split.trainTestSplit(t, { seed: 3 });
  assert.throws(() => checkLeakage(t, "SimpleImputer.fit"), /contains rows of test partition "test"/);
});

test("raises when a fit made before the split is applied to the test partition", () => {
  const t = table();
  const fitted = checkLeakage(t, "MinMaxScaler.fit");
  const { train, test: held } = split.trainTestSplit(t, { seed: 4 });
  checkTransform(fitted, train, "MinMaxScaler.transform");
  assert.throws(() => checkTransform(fitted, held.filter((d: any) => d.x > 3), "MinMaxScaler.transform"), DataLeakageError);
});

test("accepts the correct pipeline: fit on train, apply to train and test", () => {
  const { train, test: held } = split.trainTestSplit(table().derive({ x2: (d: any) => d.x * d.x }), { seed: 5 });
  const fitted = checkLeakage(train.filter((d: any) => d.x >= 0), "fit");
  checkTransform(fitted, train, "transform");
  checkTransform(fitted, held, "transform");
});

test("accepts a fit on rows disjoint from the test rows of the same root", () => {
  const t = table();
  const { test: held } = split.trainTestSplit(t.filter((d: any) => d.x < 10), { seed: 6 });
  const other = checkLeakage(t.filter((d: any) => d.x >= 10), "fit");
  checkTransform(other, held, "transform");
});

test("accepts cross-validation on the train side and catches a fold-0 fit applied to fold 1", () => {
  const { train } = split.trainTestSplit(table(), { seed: 7 });
  const folds = split.kFold(train, { k: 3 });
  assert.deepEqual(folds.map((f) => f.test.numRows()), [5, 5, 5]);
  const fit0 = checkLeakage(folds[0].train, "fit");
  checkTransform(fit0, folds[0].test, "transform");
  assert.throws(() => checkTransform(fit0, folds[1].test, "transform"), DataLeakageError);
  checkLeakage(train, "refit on all train rows");
});

test("warns instead of raising in warn mode", () => {
  setLeakageMode("warn");
  try {
    const { test: held } = split.trainTestSplit(table(), { seed: 8 });
    checkLeakage(held, "OneHotEncoder.fit");
    assert.match(leakageWarnings()[0], /OneHotEncoder\.fit was fitted on rows of the test partition "test"/);
  } finally {
    setLeakageMode("error");
  }
});

test("stratifies the split and the folds by class", () => {
  const t = aq.table({ c: [...Array(12).fill("a"), ...Array(8).fill("b")] });
  const { test: held } = split.trainTestSplit(t, { testSize: 0.25, stratify: "c", seed: 9 });
  assert.equal(held.filter((d: any) => d.c === "a").numRows(), 3);
  assert.equal(held.filter((d: any) => d.c === "b").numRows(), 2);
  const folds = split.stratifiedKFold(t, "c", { k: 4, shuffle: true, seed: 1 });
  for (const f of folds) assert.equal(f.test.filter((d: any) => d.c === "b").numRows(), 2);
});

test("gives the same split for the same seed", () => {
  const a = split.trainTestSplit(table(), { seed: 42 }).test.array("x");
  const b = split.trainTestSplit(table(), { seed: 42 }).test.array("x");
  assert.deepEqual(a, b);
});

test("follows lineage through join and concat", () => {
  const lookup = aq.table({ y: [0, 1], label: ["even", "odd"] });
  const t = table();
  const fitted = checkLeakage(t.join(lookup, "y"), "fit on joined full table");
  const { train, test: held } = split.trainTestSplit(t, { seed: 10 });
  checkTransform(fitted, train.join(lookup, "y"), "transform");
  assert.throws(() => checkTransform(fitted, held.join(lookup, "y").select("x", "label"), "transform"), DataLeakageError);
  assert.throws(() => checkLeakage(train.concat(held), "fit on train + test"), /fit on train \+ test was fitted on rows of the test partition "test"/);
  checkLeakage(train.join(lookup, "y").orderby("x").slice(0, 5), "fit on a slice of train");
});

test("keeps exact rows through slice, sample and dedupe of the train partition", () => {
  const t = table();
  const { train, test: held } = split.trainTestSplit(t, { seed: 11 });
  const sliced = train.slice(0, 3);
  const rows = [...(lineageOf(sliced)!.rows.values().next().value as Uint32Array)];
  assert.deepEqual(rows, (sliced.array("x") as number[]).map(Number));
  const fitted = checkLeakage(train.sample(5).dedupe("y"), "fit");
  checkTransform(fitted, held, "transform");
});

test("forgets a split that a re-run cell replaced, so the new train rows are not flagged", () => {
  const t = table();
  split.trainTestSplit(t.filter((d: any) => d.x < 18), { seed: 12 });
  const again = split.trainTestSplit(t.filter((d: any) => d.x < 19), { seed: 13 });
  checkLeakage(again.train, "fit after re-running the split cell");
});

test("draws the split from the stage context's seeded random when no seed is given", async () => {
  const { withContext, stageRandom } = await import("../../../kernel/ml/context.js");
  const ctx = (seed: number) => {
    const random = stageRandom(seed, "split");
    return { display() {}, metric() {}, param() {}, random, seed: () => 1 };
  };
  const once = (seed: number) => withContext(ctx(seed), async () => split.trainTestSplit(table()).test.array("x"));
  assert.deepEqual(await once(1), await once(1));
  assert.notDeepEqual(await once(1), await once(2));
});
