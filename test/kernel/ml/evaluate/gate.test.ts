// evaluate.gate: passes metrics within their bounds, throws a GateError naming metric, value and bound.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { evaluate, GateError } from "../../../../kernel/ml/evaluate/index.js";

describe("evaluate.gate", () => {
  it("returns the metrics when every bound holds", () => {
    const m = { f1: 0.85, mse: 2.5 };
    assert.equal(evaluate.gate(m, { f1: ">= 0.8", mse: "<3" }), m);
  });

  it("throws a GateError naming the metric, its value and the bound", () => {
    const err = (() => { try { evaluate.gate({ f1: 0.75 }, { f1: ">= 0.8" }); } catch (e) { return e; } })();
    assert.ok(err instanceof GateError);
    assert.equal(err.message, "gate failed: f1 = 0.75 is not >= 0.8");
    assert.equal(err.metric, "f1");
    assert.equal(err.value, 0.75);
    assert.equal(err.bound, ">= 0.8");
  });

  it("fails on a metric that is missing, listing the metrics there are", () => {
    assert.throws(() => evaluate.gate({ accuracy: 0.9 }, { f1: ">= 0.8" }), (e: unknown) => e instanceof GateError && /metric "f1" is missing, bound >= 0.8 \(metrics: accuracy\)/.test(e.message));
  });

  it("treats a bare number as a lower bound", () => {
    assert.throws(() => evaluate.gate({ r2: 0.4 }, { r2: 0.5 }), /r2 = 0.4 is not >= 0.5/);
  });

  it("rejects a bound it cannot parse", () => {
    assert.throws(() => evaluate.gate({ f1: 1 }, { f1: "at least 0.8" }), /bound for "f1" must look like ">= 0.8"/);
  });

  it("gates the result of evaluate.classification directly", () => {
    const m = evaluate.classification([1, 1, 0, 0], [1, 0, 0, 0]);
    assert.throws(() => evaluate.gate(m, { recall: ">= 0.9" }), /recall = 0.5 is not >= 0.9/);
  });
});
