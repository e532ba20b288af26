// The evaluation charts: vega-lite specs that compile with vega-lite and carry the right data.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { compile } from "vega-lite";
import { evaluate } from "../../../../kernel/ml/evaluate/index.js";

describe("evaluate charts", () => {
  it("draws a confusion heatmap with one cell per label pair", () => {
    const m = evaluate.classification(["a", "b", "b", "c"], ["a", "b", "c", "c"]);
    const spec = evaluate.confusionChart(m) as { data: { values: { actual: string; predicted: string; count: number }[] } };
    assert.equal(spec.data.values.length, 9);
    assert.deepEqual(spec.data.values.find((v) => v.actual === "b" && v.predicted === "c"), { actual: "b", predicted: "c", count: 1 });
    compile(spec as never);
  });

  it("draws a ROC curve from (0, 0) to (1, 1)", () => {
    const spec = evaluate.rocChart([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) as { layer: { data: { values: { fpr: number; tpr: number }[] } }[] };
    const pts = spec.layer[1].data.values;
    assert.deepEqual(pts[0], { fpr: 0, tpr: 0 });
    assert.deepEqual(pts[pts.length - 1], { fpr: 1, tpr: 1 });
    compile(spec as never);
  });

  it("plots residuals as truth minus prediction", () => {
    const spec = evaluate.residualChart([3, 5], [2.5, 6]) as { layer: { data: { values: { predicted: number; residual: number }[] } }[] };
    assert.deepEqual(spec.layer[0].data.values, [{ predicted: 2.5, residual: 0.5 }, { predicted: 6, residual: -1 }]);
    compile(spec as never);
  });
});
