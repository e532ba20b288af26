// evaluate.classification against scikit-learn's numbers on the committed fixtures, plus its input errors.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as aq from "arquero";
import { evaluate } from "../../../../kernel/ml/evaluate/index.js";
import { close, fixtures } from "./fixtures.js";

describe("evaluate.classification", () => {
  for (const c of fixtures.classification) {
    it(`equals scikit-learn ${fixtures.sklearn} on "${c.name}" for every average`, () => {
      for (const average of ["macro", "weighted", "micro", "binary"] as const) {
        const want = c.averages[average];
        if (!want) continue;
        const m = evaluate.classification(c.yTrue, c.yPred, { average, positive: c.positive });
        close(m.accuracy, c.accuracy, `${c.name} accuracy`);
        close(m.precision, want.precision, `${c.name} ${average} precision`);
        close(m.recall, want.recall, `${c.name} ${average} recall`);
        close(m.f1, want.f1, `${c.name} ${average} f1`);
        assert.deepEqual(m.labels, c.labels);
        assert.deepEqual(m.confusion, c.confusion);
      }
    });
    if (c.rocAucError) {
      it(`raises like scikit-learn for rocAuc of the scores on "${c.name}", naming the row`, () => {
        assert.throws(() => evaluate.classification(c.yTrue, c.yPred, { scores: c.scores }), /scores row 0 sums to [\d.]+, not 1; multiclass rocAuc needs probabilities/);
      });
    } else if (c.scores) {
      it(`equals scikit-learn's rocAuc and logLoss on "${c.name}"`, () => {
        const m = evaluate.classification(c.yTrue, c.yPred, { scores: c.scores, average: c.rocAucWeighted !== undefined ? "macro" : undefined, positive: c.positive });
        close(m.logLoss, c.logLoss!, `${c.name} logLoss`);
        close(m.rocAuc, c.rocAuc ?? c.rocAucMacro!, `${c.name} rocAuc`);
        if (c.rocAucWeighted !== undefined) {
          const w = evaluate.classification(c.yTrue, c.yPred, { scores: c.scores, average: "weighted" });
          close(w.rocAuc, c.rocAucWeighted, `${c.name} weighted rocAuc`);
        }
        if (c.rocAucMicro !== undefined) {
          const u = evaluate.classification(c.yTrue, c.yPred, { scores: c.scores, average: "micro" });
          close(u.rocAuc, c.rocAucMicro, `${c.name} micro rocAuc`);
        }
      });
    }
    if (c.rocCurve) {
      it(`gives scikit-learn's roc_curve points on "${c.name}"`, () => {
        const scores = typeof c.scores![0] === "number" ? (c.scores as number[]) : (c.scores as number[][]).map((r) => r[1]);
        const curve = evaluate.rocCurve(c.yTrue, scores);
        assert.equal(curve.fpr.length, c.rocCurve!.fpr.length);
        curve.fpr.forEach((v, i) => close(v, c.rocCurve!.fpr[i], `fpr[${i}]`));
        curve.tpr.forEach((v, i) => close(v, c.rocCurve!.tpr[i], `tpr[${i}]`));
        assert.equal(curve.thresholds[0], Infinity);
        assert.deepEqual(curve.thresholds.slice(1), c.rocCurve!.thresholds);
      });
    }
  }

  it("scores 0 like scikit-learn when only label 0 occurs and the default positive label 1 is absent", () => {
    const m = evaluate.classification([0, 0, 0], [0, 0, 0]);
    assert.equal(m.average, "binary");
    assert.equal(m.positive, 1);
    assert.deepEqual([m.accuracy, m.precision, m.recall, m.f1], [1, 0, 0, 0]);
  });

  it("defaults to binary averaging with positive label 1 for two numeric labels", () => {
    const m = evaluate.classification([0, 1, 1, 0, 1], [0, 1, 0, 0, 1]);
    assert.equal(m.average, "binary");
    assert.equal(m.positive, 1);
    assert.equal(m.precision, 1);
    assert.equal(m.recall, 2 / 3);
    assert.equal(m.f1, 0.8);
  });

  it("takes arquero column arrays as they come (plain and typed)", () => {
    const t = aq.table({ y: ["a", "b", "b"], p: ["a", "b", "a"], v: Float64Array.from([1, 2, 3]), w: Int32Array.from([1, 2, 5]) });
    assert.equal(evaluate.classification(t.array("y"), t.array("p"), { positive: "b" }).recall, 0.5);
    assert.equal(evaluate.regression(t.array("v"), t.array("w")).mae, 2 / 3);
  });

  it("asks for a positive label when two string labels are averaged as binary", () => {
    assert.throws(() => evaluate.classification(["a", "b"], ["a", "a"]), /needs a positive label \(labels: a, b\)/);
  });

  it("names the row of a prediction outside the given labels", () => {
    assert.throws(() => evaluate.classification(["a", "b"], ["a", "c"], { labels: ["a", "b"] }), /yPred\[1\] = "c" is not one of the given labels/);
  });

  it("rejects inputs of different lengths", () => {
    assert.throws(() => evaluate.classification([1, 0, 1], [1, 0]), /yTrue has 3 values but yPred has 2/);
  });

  it("rejects score rows whose width is not the number of labels", () => {
    assert.throws(() => evaluate.classification(["a", "b", "c"], ["a", "b", "c"], { scores: [[1, 0], [0, 1], [0, 1]] }), /scores row 0 has 2 columns but there are 3 labels/);
  });

  it("scores typed arrays of one million predictions", () => {
    const n = 1_000_000;
    const t = new Int32Array(n);
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) { t[i] = i % 3 === 0 ? 1 : 0; p[i] = i % 2 === 0 ? 1 : 0; }
    const m = evaluate.classification(t, p);
    // true positives are i % 6 == 0
    assert.equal(m.confusion[1][1], Math.ceil(n / 6));
    assert.equal(m.recall, Math.ceil(n / 6) / Math.ceil(n / 3));
  });
});
