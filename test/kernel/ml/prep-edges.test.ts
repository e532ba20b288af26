// Tests for prep's and features.bin's edge cases against scikit-learn 1.2 (test/fixtures/sklearn/prep.json "edges").
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as aq from "arquero";
import * as prep from "../../../kernel/ml/prep/index.js";
import * as features from "../../../kernel/ml/features/index.js";

const edges = JSON.parse(readFileSync("test/fixtures/sklearn/prep.json", "utf8")).edges;

/** A column as plain numbers, NaN as null (the fixture's NaN). */
function col(t: aq.ColumnTable, name: string): (number | null)[] {
  return Array.from(t.array(name) as ArrayLike<number>, (v) => (Number.isNaN(v) ? null : v));
}

function close(actual: (number | null)[], expected: (number | null)[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  actual.forEach((v, i) => {
    const e = expected[i];
    if (e === null || v === null) assert.equal(v, e, `${what}[${i}]`);
    else assert.ok(Math.abs(v - e) <= 1e-9 * Math.max(1, Math.abs(e)), `${what}[${i}]: ${v} vs sklearn ${e}`);
  });
}

for (const strategy of ["uniform", "quantile"] as const) {
  test(`bins a constant column to bin 0 with ${strategy} edges, as scikit-learn`, () => {
    const fx = edges[`bins_constant_${strategy}`];
    const b = features.bin({ columns: ["x"], bins: 3, strategy }).fit(aq.table({ x: fx.train }));
    close(col(b.transform(aq.table({ x: fx.test })), "x"), fx.out, strategy);
    const revived = prep.fromJSON(JSON.parse(JSON.stringify(b.toJSON())));
    close(col(revived.transform(aq.table({ x: fx.test })), "x"), fx.out, `${strategy} revived`);
  });
}

test("bins values just below an edge into the lower bin (no pre-1.1 epsilon)", () => {
  const fx = edges.bins_near_edges;
  const b = features.bin({ columns: ["x"], bins: 4, strategy: "uniform" }).fit(aq.table({ x: fx.train }));
  close(b.fitted!.edges[0], fx.edges, "edges");
  close(col(b.transform(aq.table({ x: fx.test })), "x"), fx.out, "bins");
});

test("codes a missing category as NaN and sorts Unicode categories by code point", () => {
  const fx = edges.ordinal_missing_unicode;
  const t = aq.table({ c: fx.values });
  const od = prep.ordinalEncoder({ columns: ["c"] }).fit(t);
  assert.deepEqual(od.fitted!.categories[0], fx.categories);
  close(col(od.transform(t), "c"), fx.out, "ordinal");
});

test("names the missing category's one-hot column c_nan, in code point order", () => {
  const fx = edges.ordinal_missing_unicode;
  const t = aq.table({ c: fx.values });
  const oh = prep.oneHotEncoder({ columns: ["c"] }).fit(t);
  assert.deepEqual(oh.featureNames(), fx.onehot_names);
  const out = oh.transform(t);
  assert.deepEqual(out.columnNames(), fx.onehot_names);
  fx.onehot_names.forEach((name: string, j: number) => close(col(out, name), fx.onehot.map((r: number[]) => r[j]), name));
});

for (const name of ["near_constant", "tiny_but_varying", "constant", "offset_1e9"]) {
  test(`standard-scales a ${name.replace(/_/g, " ")} column with scikit-learn's constant-feature test`, () => {
    const fx = edges[`standard_${name}`];
    const s = prep.standardScaler({ columns: ["x"] }).fit(aq.table({ x: fx.train }));
    close(s.fitted!.mean as number[], fx.mean, "mean");
    close(s.fitted!.scale as number[], fx.scale, "scale");
    close(col(s.transform(aq.table({ x: fx.train })), "x"), fx.out, "out");
  });
}

for (const strategy of ["mean", "median", "most_frequent", "constant"] as const) {
  test(`imputes with ${strategy} and ${strategy === "constant" ? "keeps" : "drops"} a column with no values, as scikit-learn 1.2`, () => {
    const fx = edges[`imputer_all_missing_${strategy}`];
    const names = ["a", "b", "c"];
    const t = aq.table(Object.fromEntries(names.map((n, j) => [n, fx.train.map((r: (number | null)[]) => r[j] ?? NaN)])));
    const imp = prep.simpleImputer({ strategy, columns: names }).fit(t);
    const out = imp.transform(t);
    const kept = strategy === "constant" ? names : ["a", "c"];
    assert.deepEqual(out.columnNames(), kept);
    kept.forEach((n, j) => close(col(out, n), fx.out.map((r: number[]) => r[j]), `${strategy} ${n}`));
    const revived = prep.fromJSON(JSON.parse(JSON.stringify(imp.toJSON())));
    assert.deepEqual(revived.transform(t).columnNames(), kept);
  });
}
