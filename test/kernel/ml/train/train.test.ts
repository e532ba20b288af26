// The train verbs on small real tables: seeding, prediction, early stopping, class weights, leakage, errors.
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import * as aq from "arquero";
import { train } from "../../../../kernel/ml/train/index.js";
import { tf } from "../../../../kernel/ml/tf.js";
import { withContext } from "../../../../kernel/ml/context.js";
import { split } from "../../../../kernel/ml/split/index.js";
import { DataLeakageError } from "../../../../kernel/ml/lineage.js";
import { blobs, linear, recordingContext } from "./data.js";

const quiet = { progress: false } as const;

describe("train", () => {
  before(async () => { await train.ready(); });

  it("stops training at the end of an epoch once its run is interrupted", async () => {
    const abort = new AbortController();
    let shown = 0;
    const ctx = { ...recordingContext(), signal: abort.signal };
    // the progress display comes once per epoch: interrupt at the first
    ctx.display = () => {
      if (++shown === 1) abort.abort(new Error("Interrupted by the user"));
    };
    const started = performance.now();
    const fitting = withContext(ctx, () => train.mlpClassifier(blobs(60, 6), { target: "label", layers: [4], epochs: 2000, seed: 1 }));
    await assert.rejects(fitting, /Interrupted by the user/);
    const epochs = shown;
    assert.ok(epochs <= 3, `${epochs} epoch displays after the interrupt at the first (${Math.round(performance.now() - started)} ms)`);
  });

  it("separates two classes with string labels by logistic regression", async () => {
    const t = blobs();
    const m = await train.logisticRegression(t, { target: "label", epochs: 30, seed: 1, ...quiet });
    assert.equal(m.kind, "logisticRegression");
    assert.deepEqual(m.labels, ["left", "right"]);
    assert.deepEqual(m.features, ["x1", "x2"]);
    assert.deepEqual(m.predict(t), t.array("label"));
    const proba = m.predictProba(t);
    assert.equal(proba.length, t.numRows());
    assert.ok(Math.abs(proba[0][0] + proba[0][1] - 1) < 1e-6);
    assert.ok(proba[0][0] > 0.8, "the first row is 'left'");
    m.dispose();
  });

  it("gives identical history and predictions for the same seed, and different ones for another seed", async () => {
    const t = blobs();
    const opts = { target: "label", layers: [8], dropout: 0.2, epochs: 5, batchSize: 16, ...quiet };
    const a = await train.mlpClassifier(t, { ...opts, seed: 7 });
    const b = await train.mlpClassifier(t, { ...opts, seed: 7 });
    const c = await train.mlpClassifier(t, { ...opts, seed: 8 });
    assert.deepEqual(a.history, b.history);
    assert.deepEqual(a.predictProba(t), b.predictProba(t));
    assert.notDeepEqual(a.history.loss, c.history.loss);
    [a, b, c].forEach((m) => m.dispose());
  });

  it("takes its seed from the stage context when no seed is given", async () => {
    const t = blobs();
    const opts = { target: "label", layers: [4], epochs: 3, ...quiet };
    const fromContext = await withContext(recordingContext(99), () => train.mlpClassifier(t, opts));
    const explicit = await train.mlpClassifier(t, { ...opts, seed: 99 });
    assert.equal(fromContext.seed, 99);
    assert.deepEqual(fromContext.history, explicit.history);
    fromContext.dispose();
    explicit.dispose();
  });

  it("fits a linear regression close to the generating coefficients", async () => {
    const t = linear();
    const m = await train.linearRegression(t, { target: "y", epochs: 150, seed: 2, ...quiet });
    const [w, b] = m.network.getWeights().map((x) => Array.from(x.dataSync()));
    assert.ok(Math.abs(w[0] - 2) < 0.05 && Math.abs(w[1] + 3) < 0.05 && Math.abs(b[0] - 1) < 0.05, `weights ${w} bias ${b}`);
    const pred = m.predict(aq.table({ x1: [0.5], x2: [0] })) as number[];
    assert.ok(Math.abs(pred[0] - 2) < 0.05, `predicted ${pred[0]}`);
    m.dispose();
  });

  it("learns a nonlinear target with an MLP regressor", async () => {
    const x: number[] = [], y: number[] = [];
    for (let i = 0; i < 200; i++) { const v = -1 + (2 * i) / 199; x.push(v); y.push(v * v); }
    const t = aq.table({ x, y });
    const m = await train.mlpRegressor(t, { target: "y", layers: [16, 16], activation: "tanh", learningRate: 0.01, epochs: 150, batchSize: 32, seed: 4, ...quiet });
    const pred = m.predict(t) as number[];
    const mse = pred.reduce((s, p, i) => s + (p - y[i]) ** 2, 0) / y.length;
    assert.ok(mse < 0.002, `mse ${mse}`);
    m.dispose();
  });

  it("stops early after `patience` epochs without an improvement", async () => {
    const m = await train.mlpClassifier(blobs(), { target: "label", layers: [4], epochs: 50, seed: 1, earlyStopping: { monitor: "loss", patience: 2, minDelta: 10 }, ...quiet });
    assert.equal(m.stoppedEpoch, 2);
    assert.equal(m.history.loss.length, 3);
    m.dispose();
  });

  for (const engine of ["auto", "autograd"] as const) {
    it(`restores the weights of the best epoch when early stopping ends training (engine ${engine})`, async () => {
      const t = blobs();
      const m = await train.mlpClassifier(t, { target: "label", layers: [4], epochs: 20, learningRate: 0.05, seed: 1, validationData: t, earlyStopping: { monitor: "val_loss", patience: 2, minDelta: 10 }, engine, ...quiet });
      assert.equal(m.stoppedEpoch, 2);
      const labels = t.array("label") as string[];
      const proba = m.predictProba(t);
      const loss = -proba.reduce((s, p, i) => s + Math.log(p[labels[i] === "left" ? 0 : 1]), 0) / labels.length;
      assert.ok(Math.abs(loss - m.history.val_loss[0]) < 1e-5, `restored loss ${loss} vs best ${m.history.val_loss[0]}`);
      assert.ok(Math.abs(m.history.val_loss[2] - m.history.val_loss[0]) > 1e-3, "training moved the weights");
      m.dispose();
    });
  }

  it("holds out a seeded validation split and reports val_loss and val_acc", async () => {
    const m = await train.mlpClassifier(blobs(), { target: "label", layers: [4], epochs: 4, seed: 1, validationSplit: 0.25, ...quiet });
    assert.equal(m.history.val_loss.length, 4);
    assert.equal(m.history.val_acc.length, 4);
    assert.ok(m.history.val_acc.every((v) => v >= 0 && v <= 1));
    m.dispose();
  });

  it("lets class weights outvote the majority class", async () => {
    // a constant feature leaves only the bias to learn: the prediction is the weighted majority
    const t = aq.table({ x: new Array(40).fill(0), label: Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? "rare" : "common")) });
    const opts = { target: "label", epochs: 30, seed: 1, ...quiet };
    const plain = await train.logisticRegression(t, opts);
    const weighted = await train.logisticRegression(t, { ...opts, classWeights: { rare: 5 } });
    const balanced = await train.logisticRegression(t, { ...opts, classWeights: "balanced" });
    assert.deepEqual(new Set(plain.predict(t)), new Set(["common"]));
    assert.deepEqual(new Set(weighted.predict(t)), new Set(["rare"]));
    // balanced weights make the two classes count equally: p(rare) ends near 0.5
    assert.ok(Math.abs(balanced.predictProba(t)[0][1] - 0.5) < 0.05, `p(rare) = ${balanced.predictProba(t)[0][1]}`);
    [plain, weighted, balanced].forEach((m) => m.dispose());
  });

  it("trains a user-built LayersModel with one sigmoid unit for two labels", async () => {
    const net = tf.sequential({ layers: [tf.layers.dense({ units: 1, activation: "sigmoid", inputShape: [2], kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) })] });
    const t = blobs();
    const m = await train.model(net, t, { target: "label", task: "classification", epochs: 30, learningRate: 0.05, seed: 1, ...quiet });
    assert.equal(m.kind, "model");
    assert.deepEqual(m.predict(t), t.array("label"));
    assert.equal(m.predictProba(t)[0].length, 2);
    m.dispose();
  });

  it("raises DataLeakageError when a model is fitted on a test partition", async () => {
    const { test } = split.trainTestSplit(blobs(), { seed: 1 });
    await assert.rejects(train.logisticRegression(test, { target: "label", epochs: 1, ...quiet }), (e: unknown) => e instanceof DataLeakageError && /train\.logisticRegression/.test(e.message));
  });

  it("fits on the train partition of a split without complaint", async () => {
    const { train: rows } = split.trainTestSplit(blobs(), { seed: 1 });
    const m = await train.logisticRegression(rows, { target: "label", epochs: 1, seed: 1, ...quiet });
    m.dispose();
  });

  it("names the column and row of a missing feature value", async () => {
    const t = aq.table({ a: [1, null, 3], b: [0, 1, 0] });
    await assert.rejects(train.logisticRegression(t, { target: "b", features: ["a"], ...quiet }), /feature column "a" has a missing value at row 1/);
  });

  it("rejects a target with a single class", async () => {
    const t = aq.table({ a: [1, 2, 3], b: ["x", "x", "x"] });
    await assert.rejects(train.mlpClassifier(t, { target: "b", ...quiet }), /target column "b" has a single class \(x\)/);
  });
});
