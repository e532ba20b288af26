// Table encoding for training: feature defaults, filtered/ordered tables, label order, row gathering.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as aq from "arquero";
import { distinctLabels, featureMatrix, featureNames, takeRows } from "../../../../kernel/ml/train/data.js";

describe("train data", () => {
  it("defaults the features to every numeric column except the target", () => {
    const t = aq.table({ a: [1, 2], name: ["x", "y"], b: Float64Array.from([3, 4]), y: [0, 1] });
    assert.deepEqual(featureNames(t, { target: "y" }, "v"), ["a", "b"]);
  });

  it("reads only the rows a filter keeps, in the table's order", () => {
    const t = aq.table({ a: [1, 2, 3, 4], b: [10, 20, 30, 40] }).filter((d: { a: number }) => d.a % 2 === 0).orderby(aq.desc("a"));
    assert.deepEqual(Array.from(featureMatrix(t, ["a", "b"], "v")), [4, 40, 2, 20]);
  });

  it("sorts labels like scikit-learn's classes_: numbers numerically, strings by code point", () => {
    assert.deepEqual(distinctLabels([10, 9, 100, 9], "y", "v"), [9, 10, 100]);
    assert.deepEqual(distinctLabels(["b", "B", "a"], "y", "v"), ["B", "a", "b"]);
  });

  it("gathers rows of a row-major matrix, narrow and wide", () => {
    const narrow = Float32Array.from([0, 1, 2, 3, 4, 5]);
    assert.deepEqual(Array.from(takeRows(narrow, 2, [2, 0])), [4, 5, 0, 1]);
    const wide = Float32Array.from({ length: 80 }, (_, i) => i);
    assert.deepEqual(Array.from(takeRows(wide, 40, [1])), Array.from({ length: 40 }, (_, i) => 40 + i));
  });
});
