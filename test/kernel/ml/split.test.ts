// Tests for the split verbs' sizes, errors and stratified folds against scikit-learn 1.2 (test/fixtures/sklearn/prep.json "edges").
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as aq from "arquero";
import { split } from "../../../kernel/ml/split/index.js";

const edges = JSON.parse(readFileSync("test/fixtures/sklearn/prep.json", "utf8")).edges;
const rows = (n: number): aq.ColumnTable => aq.table({ i: Array.from({ length: n }, (_, i) => i) });

test("sizes train and test sets like scikit-learn's train_test_split, shuffled or not", () => {
  for (const c of edges.split_sizes) {
    for (const shuffle of [true, false]) {
      const { train, test: held } = split.trainTestSplit(rows(c.n), { testSize: c.testSize, seed: 1, shuffle });
      assert.deepEqual([train.numRows(), held.numRows()], [c.train, c.test], `n=${c.n} testSize=${c.testSize} shuffle=${shuffle}`);
    }
  }
  const { train, test: held } = split.trainTestSplit(rows(10), { testSize: 0.3, shuffle: false });
  assert.deepEqual([train.array("i"), held.array("i")], [[0, 1, 2, 3, 4, 5, 6], [7, 8, 9]]);
});

test("raises where scikit-learn raises for an empty train set, naming testSize", () => {
  assert.match(edges.split_empty_train.error, /train set will be empty/);
  assert.throws(() => split.trainTestSplit(rows(edges.split_empty_train.n), { testSize: edges.split_empty_train.testSize }),
    /trainTestSplit: with 100 rows and testSize 0\.999 the train set would be empty; lower testSize/);
});

test("raises where scikit-learn raises for a stratify class with one member, naming the column", () => {
  assert.match(edges.split_one_member_class.error, /only 1 member/);
  const t = aq.table({ y: edges.split_one_member_class.labels });
  assert.throws(() => split.trainTestSplit(t, { stratify: "y", seed: 1 }), /stratify column "y" has a class with only 1 row; each class needs at least 2/);
});

test("raises when a stratified partition has fewer rows than classes", () => {
  const t = aq.table({ y: ["a", "a", "b", "b", "c", "c"] });
  assert.throws(() => split.trainTestSplit(t, { stratify: "y", testSize: 2, seed: 1 }), /the test set \(2 rows\) is smaller than the 3 classes of stratify column "y"/);
});

test("assigns stratified folds in scikit-learn's contiguous blocks without shuffle", () => {
  const labels: string[] = edges.stratified_kfold.labels;
  const t = aq.table({ y: labels, row: labels.map((_, i) => i) });
  for (const { k, fold } of edges.stratified_kfold.folds) {
    const folds = split.stratifiedKFold(t, "y", { k });
    const got = new Array<number>(t.numRows()).fill(-1);
    for (const f of folds) {
      for (const i of f.test.array("row") as number[]) got[i] = f.fold;
    }
    assert.deepEqual(got, fold, `k=${k}`);
  }
});

test("keeps each class's fold counts when shuffled, and raises for more folds than any class has rows", () => {
  const t = aq.table({ y: edges.stratified_kfold.labels });
  const plain = split.stratifiedKFold(t, "y", { k: 3 }).map((f) => f.test.groupby("y").count().orderby("y").objects());
  const mixed = split.stratifiedKFold(t, "y", { k: 3, shuffle: true, seed: 5 }).map((f) => f.test.groupby("y").count().orderby("y").objects());
  assert.deepEqual(mixed, plain);
  assert.match(edges.stratified_kfold.error_k_too_large, /cannot be greater than the number of members in each class/);
  assert.throws(() => split.stratifiedKFold(t, "y", { k: 12 }), /stratifiedKFold: k=12 is larger than the number of rows of every class of "y" \(largest: 11\)/);
});
