// The dense stack: seeded initial weights, and a hand-written layer gradient equal to tfjs's autograd.
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { initTf, tf } from "../../../../kernel/ml/tf.js";
import { buildDense, denseForward, denseVariables, type Activation } from "../../../../kernel/ml/train/dense.js";

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
