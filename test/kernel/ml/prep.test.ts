// Tests for prep's transformers: equal to scikit-learn's outputs on penguins, JSON round trips, leakage cases.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as aq from "arquero";
import * as prep from "../../../kernel/ml/prep/index.js";
import { split } from "../../../kernel/ml/split/index.js";
import { DataLeakageError } from "../../../kernel/ml/lineage.js";

const fx = JSON.parse(readFileSync("test/fixtures/sklearn/prep.json", "utf8"));
const rows: Record<string, unknown>[] = JSON.parse(readFileSync("node_modules/vega-datasets/data/penguins.json", "utf8"));
const train = aq.from(rows.filter((_, i) => i % 4 !== 0));
const testRows = aq.from(rows.filter((_, i) => i % 4 === 0));
const num: string[] = fx.numeric;

/** The given columns of a table as a row-major matrix (NaN as null, like the fixture). */
function matrix(t: aq.ColumnTable, cols: string[]): (number | null)[][] {
  const arrays = cols.map((c) => t.array(c) as ArrayLike<number | null>);
  return Array.from({ length: t.numRows() }, (_, i) => arrays.map((a) => (a[i] === null || Number.isNaN(a[i]) ? null : Number(a[i]))));
}

function close(actual: (number | null)[][], expected: (number | null)[][], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: row count`);
  actual.forEach((row, i) => row.forEach((v, j) => {
    const e = expected[i][j];
    if (e === null || v === null) assert.equal(v, e, `${what}[${i}][${j}]`);
    else assert.ok(Math.abs(v - e) <= 1e-9 * Math.max(1, Math.abs(e)), `${what}[${i}][${j}]: ${v} vs ${e}`);
  }));
}

for (const strategy of ["mean", "median", "most_frequent"] as const) {
  test(`imputes the ${strategy} of the training rows like scikit-learn`, () => {
    const imp = prep.simpleImputer({ strategy, columns: num }).fit(train);
    close([imp.fitted!.statistics as number[]], [fx[`imputer_${strategy}`].statistics], "statistics");
    close(matrix(imp.transform(testRows), num), fx[`imputer_${strategy}`].test, strategy);
  });
}

test("imputes a constant and the most frequent category of a string column", () => {
  close(matrix(prep.simpleImputer({ strategy: "constant", fillValue: -1, columns: num }).fit(train).transform(testRows), num), fx.imputer_constant.test, "constant");
  const sex = prep.simpleImputer({ strategy: "most_frequent", columns: ["Sex"] }).fit(train);
  assert.deepEqual(sex.fitted!.statistics, fx.imputer_most_frequent_sex);
  assert.equal((sex.transform(testRows).array("Sex") as unknown[]).includes(null), false);
});

const scalers = {
  standard: () => prep.standardScaler({ columns: num }),
  minmax: () => prep.minMaxScaler({ columns: num }),
  robust: () => prep.robustScaler({ columns: num }),
  minmax_range: () => prep.minMaxScaler({ columns: num, featureRange: [-1, 2] }),
};
for (const [name, make] of Object.entries(scalers)) {
  test(`scales like scikit-learn's ${name} scaler, keeping missing values missing`, () => {
    const s = make().fit(train);
    close(matrix(s.transform(testRows), num), fx[name].test, name);
    const revived = prep.fromJSON(JSON.parse(JSON.stringify(s.toJSON())));
    close(matrix(revived.transform(testRows), num), fx[name].test, `${name} revived`);
  });
}

test("one-hot encodes like scikit-learn with the same feature names", () => {
  const oh = prep.oneHotEncoder({ columns: ["Species", "Island"], handleUnknown: "ignore" }).fit(train);
  assert.deepEqual(oh.featureNames(), fx.onehot.names);
  const out = oh.transform(testRows);
  close(matrix(out, fx.onehot.names), fx.onehot.test, "onehot");
  assert.equal(out.column("Species"), undefined);
  assert.equal(out.columnNames()[0], "Species_Adelie");
});

test("raises on an unknown category unless told to ignore it", () => {
  const small = aq.table({ c: ["a", "b"] });
  const strict = prep.oneHotEncoder().fit(small);
  assert.throws(() => strict.transform(aq.table({ c: ["z"] })), /unknown category "z" in column "c" row 0/);
  const lax = prep.oneHotEncoder({ handleUnknown: "ignore" }).fit(small);
  assert.deepEqual(matrix(lax.transform(aq.table({ c: ["z", "b"] })), ["c_a", "c_b"]), [[0, 0], [0, 1]]);
});

test("encodes categories as ordinals like scikit-learn", () => {
  const od = prep.ordinalEncoder({ columns: ["Species", "Island"] }).fit(train);
  assert.deepEqual(od.fitted!.categories, fx.ordinal.categories);
  close(matrix(od.transform(testRows), ["Species", "Island"]), fx.ordinal.test, "ordinal");
});

test("dedupes whole rows or by keys, keeping the first or the last", () => {
  const t = aq.table({ k: ["a", "b", "a", "c", "b"], v: [1, 2, 1, 4, 5] });
  assert.deepEqual(prep.dedupe().transform(t).array("v"), [1, 2, 4, 5]);
  assert.deepEqual(prep.dedupe({ keys: ["k"], keep: "last" }).transform(t).array("v"), [1, 4, 5]);
  assert.deepEqual(prep.dedupe({ keys: ["k"] }).transform(t).array("v"), [1, 2, 4]);
});

test("applies column groups and pipelines, and revives them from JSON", () => {
  const ct = prep.columns({
    num: [num, prep.pipeline([prep.simpleImputer({ strategy: "median" }), prep.standardScaler()])],
    cat: [["Species", "Island"], prep.oneHotEncoder({ handleUnknown: "ignore" })],
  }, { remainder: "drop" });
  const out = ct.fit(train).transform(testRows);
  assert.deepEqual(out.columnNames(), [...fx.onehot.names, ...num]);
  const revived = prep.fromJSON(JSON.stringify(ct.toJSON()));
  assert.deepEqual(revived.transform(testRows).objects(), out.objects());
  const m = matrix(out, num);
  assert.ok(m.every((r) => r.every((v) => v !== null)), "median imputed before scaling");
});

test("raises DataLeakageError when a scaler fitted before the split is applied to the test set", () => {
  const data = aq.from(rows).filter((d: any) => d["Body Mass (g)"] !== null);
  const scaler = prep.standardScaler({ columns: num }).fit(data);
  const { train: tr, test: te } = split.trainTestSplit(data, { seed: 1 });
  scaler.transform(tr);
  assert.throws(() => scaler.transform(te), (e: unknown) => e instanceof DataLeakageError && /StandardScaler\.transform/.test(e.message) && /"test"/.test(e.message));
});

test("raises DataLeakageError when an imputer uses the full-data mean after the split", () => {
  const data = aq.from(rows);
  split.trainTestSplit(data, { seed: 2 });
  assert.throws(() => prep.simpleImputer({ columns: num }).fit(data), /SimpleImputer\.fit .*test partition "test"/);
});

test("raises nothing on the correct pipeline: split, fit on train, transform both", () => {
  const data = aq.from(rows).derive({ mass_kg: (d: any) => d["Body Mass (g)"] / 1000 });
  const { train: tr, test: te } = split.trainTestSplit(data, { seed: 3, stratify: "Species" });
  const pipe = prep.pipeline([prep.simpleImputer({ columns: [...num, "mass_kg"] }), prep.robustScaler({ columns: num }), prep.oneHotEncoder({ columns: ["Island"] })]);
  pipe.fit(tr);
  const out = pipe.transform(te.filter((d: any) => d.Species !== "Gentoo"));
  assert.ok(out.numRows() > 0);
});

test("catches the classic leak on a table read from a file and passes the correct version", async () => {
  const { read } = await import("../../../kernel/ml/read/index.js");
  const { datePart } = await import("../../../kernel/ml/features/datePart.js");
  const weather = datePart(await read("node_modules/vega-datasets/data/seattle-weather.csv"), "date", { parts: ["month"] });
  const leaky = prep.standardScaler({ columns: ["temp_max", "temp_min"] }).fit(weather);
  const { train: tr, test: te } = split.trainTestSplit(weather, { stratify: "weather", seed: 7 });
  assert.throws(() => leaky.transform(te), /seattle-weather\.csv/);
  const good = prep.pipeline([prep.standardScaler({ columns: ["temp_max", "temp_min"] }), prep.oneHotEncoder({ columns: ["weather"] })]).fit(tr);
  assert.equal(good.transform(te).numRows(), te.numRows());
});
