// Tests for the feature verbs: date parts, interactions, polynomial and bins equal to scikit-learn's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as aq from "arquero";
import * as features from "../../../kernel/ml/features/index.js";
import * as prep from "../../../kernel/ml/prep/index.js";
import { lineageOf } from "../../../kernel/ml/lineage.js";

const fx = JSON.parse(readFileSync("test/fixtures/sklearn/prep.json", "utf8"));
const num: string[] = fx.numeric;
const rows = (JSON.parse(readFileSync("node_modules/vega-datasets/data/penguins.json", "utf8")) as Record<string, number | null>[])
  .filter((r) => num.every((c) => r[c] !== null));
const train = aq.from(rows.filter((_, i) => i % 4 !== 0));
const held = aq.from(rows.filter((_, i) => i % 4 === 0));

function matrix(t: aq.ColumnTable, cols: string[]): number[][] {
  const a = cols.map((c) => t.array(c) as ArrayLike<number>);
  return Array.from({ length: t.numRows() }, (_, i) => a.map((x) => x[i]));
}
function close(actual: number[][], expected: number[][], what: string): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((r, i) => r.forEach((v, j) => assert.ok(Math.abs(v - expected[i][j]) <= 1e-9 * Math.max(1, Math.abs(expected[i][j])), `${what}[${i}][${j}] ${v} vs ${expected[i][j]}`)));
}

test("extracts date parts with Monday as weekday 0 and weekends flagged", () => {
  const t = aq.table({ when: [new Date("2024-03-02T13:00:00Z"), new Date("2024-12-31T00:00:00Z"), null] });
  const out = features.datePart(t, "when");
  assert.deepEqual(Array.from(out.array("when_year") as number[]).slice(0, 2), [2024, 2024]);
  assert.deepEqual(Array.from(out.array("when_month") as number[]).slice(0, 2), [3, 12]);
  assert.deepEqual(Array.from(out.array("when_weekday") as number[]).slice(0, 2), [5, 1]);
  assert.deepEqual(Array.from(out.array("when_isWeekend") as number[]).slice(0, 2), [1, 0]);
  assert.deepEqual(Array.from(out.array("when_dayOfYear") as number[]).slice(0, 2), [62, 366]);
  assert.deepEqual(Array.from(out.array("when_hour") as number[]).slice(0, 2), [13, 0]);
  assert.ok(Number.isNaN((out.array("when_day") as number[])[2]));
});

test("adds pairwise interaction products", () => {
  const out = features.interactions(aq.table({ a: [1, 2], b: [3, 4], c: [5, 6] }), ["a", "b", "c"]);
  assert.deepEqual(out.columnNames(), ["a", "b", "c", "a_x_b", "a_x_c", "b_x_c"]);
  assert.deepEqual(Array.from(out.array("b_x_c") as number[]), [15, 24]);
});

test("makes degree-2 polynomial features named and valued like scikit-learn", () => {
  const two = ["Beak Length (mm)", "Body Mass (g)"];
  const out = features.polynomial(held, two);
  close(matrix(out, fx.poly.names.map((n: string) => n.replace(/x0/g, two[0]).replace(/x1/g, two[1]))), fx.poly.test, "poly");
});

for (const strategy of ["uniform", "quantile"] as const) {
  test(`bins with ${strategy} edges like scikit-learn's KBinsDiscretizer`, () => {
    const b = features.bin({ columns: num, bins: 4, strategy }).fit(train);
    close(b.fitted!.edges, fx[`bins_${strategy}`].edges, "edges");
    close(matrix(b.transform(held), num), fx[`bins_${strategy}`].test, strategy);
    const revived = prep.fromJSON(JSON.parse(JSON.stringify(b.toJSON())));
    close(matrix(revived.transform(held), num), fx[`bins_${strategy}`].test, `${strategy} revived`);
  });
}

test("derives columns from arquero expressions and keeps lineage", () => {
  const t = aq.table({ a: [1, 4], b: [2, 2] });
  const out = features.derive(t, { ratio: "d.a / d.b", scaled: (d: any, $: any) => d.a * $.k }, { k: 10 });
  assert.deepEqual(Array.from(out.array("ratio") as number[]), [0.5, 2]);
  assert.deepEqual(Array.from(out.array("scaled") as number[]), [10, 40]);
  assert.equal(lineageOf(out)?.op, "derive");
});
