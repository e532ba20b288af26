// evaluate.regression against scikit-learn's numbers, and its input checks.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { evaluate } from "../../../../kernel/ml/evaluate/index.js";
import { close, fixtures } from "./fixtures.js";

describe("evaluate.regression", () => {
  for (const c of fixtures.regression) {
    it(`equals scikit-learn's mse, rmse, mae and r2 on "${c.name}"`, () => {
      const m = evaluate.regression(c.yTrue, c.yPred);
      close(m.mse, c.mse, "mse");
      close(m.rmse, c.rmse, "rmse");
      close(m.mae, c.mae, "mae");
      if (c.r2 === null) assert.ok(Number.isNaN(m.r2), `r2 ${m.r2} should be NaN like scikit-learn`);
      else close(m.r2, c.r2, "r2");
    });
  }

  it("gives r2 = 1 for exact predictions of a constant truth", () => {
    assert.equal(evaluate.regression([2, 2, 2], [2, 2, 2]).r2, 1);
  });

  it("names the row of a missing prediction", () => {
    assert.throws(() => evaluate.regression([1, 2, 3], [1, NaN, 3]), /yPred\[1\] is not a number/);
  });
});
