// tune.gridSearch / randomSearch: candidate order, seeded sampling, cross-validated ranking, refit, leakage.
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { compile } from "vega-lite";
import { tune } from "../../../../kernel/ml/tune/index.js";
import { grid, sample } from "../../../../kernel/ml/tune/space.js";
import { train } from "../../../../kernel/ml/train/index.js";
import { split } from "../../../../kernel/ml/split/index.js";
import { mulberry32 } from "../../../../kernel/ml/context.js";
import { DataLeakageError } from "../../../../kernel/ml/lineage.js";
import { blobs, linear } from "../train/data.js";

describe("tune spaces", () => {
  it("enumerates a grid in scikit-learn's ParameterGrid order", () => {
    assert.deepEqual(grid({ b: [1, 2], a: ["x", "y"] }), [{ a: "x", b: 1 }, { a: "x", b: 2 }, { a: "y", b: 1 }, { a: "y", b: 2 }]);
  });

  it("draws the same candidates for the same seed, within the distributions' bounds", () => {
    const space = { lr: { logUniform: [1e-4, 1e-1] as [number, number] }, units: { int: [4, 8] as [number, number] }, act: ["relu", "tanh"] };
    const a = sample(space, 20, mulberry32(1));
    assert.deepEqual(a, sample(space, 20, mulberry32(1)));
    assert.notDeepEqual(a, sample(space, 20, mulberry32(2)));
    for (const p of a) {
      assert.ok((p.lr as number) >= 1e-4 && (p.lr as number) <= 1e-1);
      assert.ok(Number.isInteger(p.units) && (p.units as number) >= 4 && (p.units as number) <= 8);
      assert.ok(p.act === "relu" || p.act === "tanh");
    }
  });

  it("samples distinct grid points when every parameter is a list", () => {
    const picked = sample({ a: [1, 2, 3], b: [1, 2] }, 4, mulberry32(3));
    assert.equal(new Set(picked.map((p) => JSON.stringify(p))).size, 4);
    assert.equal(sample({ a: [1, 2] }, 10, mulberry32(3)).length, 2);
  });

  it("says which parameter of a grid is not a list", () => {
    assert.throws(() => grid({ lr: { uniform: [0, 1] } }), /parameter "lr" must be a list/);
  });
});

describe("tune searches", () => {
  before(async () => { await train.ready(); });

  it("scores every grid candidate on the same folds, ranks them and refits the best", async () => {
    const t = blobs(90);
    const r = await tune.gridSearch(t, { learningRate: [0.0001, 0.05] }, { model: "logisticRegression", target: "label", folds: 3, base: { epochs: 8 }, seed: 1 });
    const rows = r.results.objects() as Record<string, number>[];
    assert.equal(rows.length, 2);
    for (const row of rows) {
      const splits = [0, 1, 2].map((i) => row[`split${i}_test_score`]);
      const mean = splits.reduce((s, v) => s + v, 0) / 3;
      assert.ok(Math.abs(row.mean_test_score - mean) < 1e-12);
      assert.ok(Math.abs(row.std_test_score - Math.sqrt(splits.reduce((s, v) => s + (v - mean) ** 2, 0) / 3)) < 1e-12);
    }
    assert.deepEqual(r.bestParams, { learningRate: 0.05 });
    assert.equal(rows.find((x) => x.param_learningRate === 0.05)!.rank_test_score, 1);
    assert.equal(r.scoring, "accuracy");
    assert.ok(r.bestScore > 0.9);
    assert.deepEqual(r.bestModel!.predict(t), t.array("label"));
    compile(r.chart as never);
    r.bestModel!.dispose();
  });

  it("ranks lower errors first when scoring by mse in a random search", async () => {
    const r = await tune.randomSearch(linear(120), { learningRate: [0.00001, 0.05], batchSize: [16, 32] }, 3, { model: "linearRegression", target: "y", folds: 3, scoring: "mse", base: { epochs: 10 }, seed: 2, refit: false });
    const rows = r.results.objects() as Record<string, number>[];
    assert.equal(rows.length, 3);
    const best = rows.find((x) => x.rank_test_score === 1)!;
    assert.equal(best.mean_test_score, Math.min(...rows.map((x) => x.mean_test_score)));
    assert.equal(r.bestScore, best.mean_test_score);
    assert.equal(r.bestModel, undefined);
  });

  it("raises DataLeakageError when tuning on a table that still holds the test rows", async () => {
    const t = blobs(60);
    split.trainTestSplit(t, { seed: 4 });
    await assert.rejects(tune.gridSearch(t, { learningRate: [0.01] }, { model: "logisticRegression", target: "label", folds: 2, base: { epochs: 1 }, seed: 1 }), DataLeakageError);
  });
});

describe("tune on worker threads", () => {
  it("gives the sequential run's scores, ranks and best params with trials on 2 threads", async () => {
    const table = blobs(90, 11);
    const space = { layers: [[4], [8]], learningRate: [0.05, 0.01] };
    const base = { epochs: 15 };
    const one = await tune.gridSearch(table, space, { model: "mlpClassifier", target: "label", base, folds: 3, seed: 5, refit: false, workers: 1 });
    const two = await tune.gridSearch(table, space, { model: "mlpClassifier", target: "label", base, folds: 3, seed: 5, refit: false, workers: 2 });
    assert.deepEqual(two.results.objects(), one.results.objects());
    assert.deepEqual(two.bestParams, one.bestParams);
    assert.equal(two.bestScore, one.bestScore);
    assert.equal(one.results.numRows(), 4);
  });

  it("names the candidate and fold when a trial fails, on whichever thread it ran", async () => {
    await assert.rejects(
      tune.gridSearch(blobs(60, 2), { learningRate: [0.01, -1] }, { model: "logisticRegression", target: "label", folds: 2, seed: 1, refit: false, workers: 2 }),
      /candidate 2 \{"learningRate":-1\}, fold 1: .*learningRate must be > 0/,
    );
  });
});
