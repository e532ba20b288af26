// The dense stack: seeded initial weights, and a hand-written layer gradient equal to tfjs's autograd.
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { initTf, tf } from "../../../../kernel/ml/tf.js";
import { buildDense, denseForward, denseVariables, type Activation } from "../../../../kernel/ml/train/dense.js";
import { isEncoded } from "../../../../kernel/stages/codecs/index.js";
import { createLibraryCodecs } from "../../../../kernel/stages/libraryCodecs.js";
import { train } from "../../../../kernel/ml/train/index.js";
import type { Model } from "../../../../kernel/ml/train/trained.js";
import { blobs, linear } from "./data.js";

describe("dense stack", () => {
  before(async () => { await initTf(); });

  it("starts from the same weights for the same seed and different ones for another", () => {
    const spec = { inputs: 3, hidden: [4], activation: "relu" as const, dropout: 0, outputs: 2, output: "softmax" as const, seed: 11 };
    const [a, b, c] = [buildDense(spec), buildDense(spec), buildDense({ ...spec, seed: 12 })];
    const w = (m: tf.LayersModel) => m.getWeights().map((t) => Array.from(t.dataSync()));
    assert.deepEqual(w(a), w(b));
    assert.notDeepEqual(w(a), w(c));
    [a, b, c].forEach((m) => m.dispose());
  });

  it("names the model and its layers by position, whatever this thread built before", () => {
    const spec = { inputs: 3, hidden: [5, 4], activation: "relu" as const, dropout: 0.2, outputs: 2, output: "softmax" as const, seed: 1 };
    // a user's network with tfjs's counter names in between
    const other = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
    const [a, b] = [buildDense(spec), buildDense(spec)];
    for (const m of [a, b]) {
      assert.equal(m.name, "mlnb_dense");
      assert.deepEqual(m.layers.map((l) => l.name), ["mlnb_dense_0", "mlnb_dropout_0", "mlnb_dense_1", "mlnb_dropout_1", "mlnb_dense_2"]);
      assert.deepEqual(m.weights.map((w) => w.originalName), ["mlnb_dense_0/kernel", "mlnb_dense_0/bias", "mlnb_dense_1/kernel", "mlnb_dense_1/bias", "mlnb_dense_2/kernel", "mlnb_dense_2/bias"]);
    }
    // the variables behind the weights stay distinct: tfjs suffixes their unique names, not the layers'
    const names = [...a.weights, ...b.weights].map((w) => (w.read() as tf.Variable).name);
    assert.equal(new Set(names).size, 12);
    [a, b, other].forEach((m) => m.dispose());
  });

  it("stores the same bytes, hash for hash, for a model fitted twice in one thread with other models built in between", async () => {
    // the registry the kernel and exported scripts store stage outputs with
    const codecs = createLibraryCodecs();
    const hashOf = async (m: Model): Promise<string> => {
      const e = await codecs.encode(m);
      assert.ok(isEncoded(e) && e.kind === "mlnb-model", "a trained Model has a codec");
      return e.hash;
    };
    const fits: [string, () => Promise<Model>][] = [
      ["mlpClassifier with dropout", () => train.mlpClassifier(blobs(60, 2), { target: "label", layers: [6, 3], dropout: 0.1, epochs: 2, seed: 4, progress: false })],
      ["mlpRegressor", () => train.mlpRegressor(linear(60), { target: "y", layers: [5], epochs: 2, seed: 4, progress: false })],
      ["logisticRegression", () => train.logisticRegression(blobs(60, 2), { target: "label", epochs: 2, seed: 4, progress: false })],
    ];
    const first: string[] = [];
    for (const [, fit] of fits) {
      const m = await fit();
      first.push(await hashOf(m));
      m.dispose();
    }
    const between = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [2] }), tf.layers.dense({ units: 1 })] });
    for (const [i, [name, fit]] of fits.entries()) {
      const m = await fit();
      assert.equal(await hashOf(m), first[i], name);
      m.dispose();
    }
    assert.equal(new Set(first).size, 3);
    between.dispose();
  });

  for (const activation of ["relu", "tanh"] as Activation[]) {
    it(`gives the same gradients as tfjs's autograd with ${activation} layers`, () => {
      const spec = { inputs: 3, hidden: [5, 4], activation, dropout: 0, outputs: 2, output: "softmax" as const, seed: 3 };
      const model = buildDense(spec);
      const vars = denseVariables(model).flatMap((l) => [l.kernel, l.bias]);
      const x = tf.tensor2d([[0.5, -1, 2], [1.5, 0.2, -0.3], [-0.7, 0.9, 0.1], [0.3, 0.3, -2]]);
      const y = tf.tensor2d([[1, 0], [0, 1], [0, 1], [1, 0]]);
      const forward = denseForward(model, spec);
      const ours = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, forward(x, true, () => 0)) as tf.Scalar, vars);
      // the reference: the layers' own apply() (softmax output) with autograd all the way
      const ref = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, tf.log(model.apply(x) as tf.Tensor)) as tf.Scalar, vars);
      assert.ok(Math.abs(ours.value.dataSync()[0] - ref.value.dataSync()[0]) < 1e-5);
      for (const v of vars) {
        const a = ours.grads[v.name].dataSync();
        const b = ref.grads[v.name].dataSync();
        a.forEach((g, i) => assert.ok(Math.abs(g - b[i]) < 1e-5, `${v.name}[${i}]: ${g} vs ${b[i]}`));
      }
      model.dispose();
      tf.dispose([x, y, ours.value, ref.value, ...Object.values(ours.grads), ...Object.values(ref.grads)]);
    });
  }
});

describe("fast dense step", () => {
  before(async () => { await initTf(); });

  const cases = [
    { name: "a relu classifier with class weights and alpha", verb: "mlpClassifier", target: "label", extra: { activation: "relu", classWeights: { right: 3 }, alpha: 0.01 } },
    { name: "a tanh regressor", verb: "mlpRegressor", target: "x2", extra: { activation: "tanh" } },
    { name: "a sigmoid classifier", verb: "mlpClassifier", target: "label", extra: { activation: "sigmoid" } },
  ] as const;
  for (const c of cases) {
    it(`makes the same sgd updates as autograd for ${c.name}`, async () => {
      const { train } = await import("../../../../kernel/ml/train/index.js");
      const { blobs } = await import("./data.js");
      const t = blobs(40);
      const opts = { target: c.target, layers: [6, 5], optimizer: "sgd" as const, learningRate: 0.5, epochs: 3, batchSize: 16, seed: 9, progress: false, ...c.extra };
      const fit = (train as unknown as Record<string, (t: unknown, o: unknown) => Promise<{ network: tf.LayersModel; history: Record<string, number[]>; dispose(): void }>>)[c.verb];
      const fast = await fit(t, opts);
      const slow = await fit(t, { ...opts, engine: "autograd" });
      const a = fast.network.getWeights().flatMap((w) => Array.from(w.dataSync()));
      const b = slow.network.getWeights().flatMap((w) => Array.from(w.dataSync()));
      a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-4, `weight ${i}: ${v} vs ${b[i]}`));
      fast.history.loss.forEach((l, i) => assert.ok(Math.abs(l - slow.history.loss[i]) < 1e-4, `loss ${i}: ${l} vs ${slow.history.loss[i]}`));
      fast.dispose();
      slow.dispose();
    });
  }
});
