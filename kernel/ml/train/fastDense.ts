// The fast training step for dense stacks: hand-written forward/backward, Adam/SGD on host arrays.
//
// Where the time of a tfjs training step goes (50,000 x 20, 64-64 MLP, batch 256, wasm): not the
// arithmetic (a 256x64x64 matMul takes ~0.08 ms) but (1) tfjs's matMul gradient, whose transposed
// matMuls take ~2 ms each on wasm against ~0.1 ms for transpose + plain matMul, and (2) ~10 us of
// engine overhead per kernel, times ~240 kernels per step with autograd, tfjs's per-variable Adam
// (14 kernels and fresh scalars for each of 6 variables) and the L2 penalty on the tape. Here a
// step is ~50 kernels: the backward pass is written out (no tape), the optimiser runs on the host
// over one flat Float32Array, and losses are summed on the device and read once per epoch.
import { tf } from "../tf.js";
import type { Activation } from "./dense.js";
import type { Stepper } from "./loop.js";

/** Activations the hand-written backward pass covers (others train through autograd). */
export const FAST_ACTIVATIONS: readonly Activation[] = ["relu", "tanh", "sigmoid", "linear"];

export interface FastSpec {
  layers: { kernel: tf.Variable; bias: tf.Variable }[];
  activation: Activation;
  dropout: number;
  output: "softmax" | "linear";
  optimizer: "adam" | "sgd";
  learningRate: number;
  alpha: number;
  classifier: boolean;
  random: () => number;
}

/** A Stepper training `layers` in place (after `sync()`), or undefined when the spec is not covered. */
export function fastDenseStepper(spec: FastSpec): Stepper | undefined {
  if (!FAST_ACTIVATIONS.includes(spec.activation)) return undefined;
  const shapes = spec.layers.map((l) => ({ k: l.kernel.shape as [number, number], b: l.bias.shape[0] }));
  // Parameters and Adam moments live on the host: the update of ~6k floats is a JS loop of a few
  // microseconds instead of ~25 kernels (flatten, concat, Adam, slice), each ~10 us of overhead.
  // Backends here compute synchronously (wasm, cpu, tfjs-node), so reading gradients costs a copy.
  const offsets: number[] = [];
  let size = 0;
  for (const { k, b } of shapes) { offsets.push(size); size += k[0] * k[1] + b; }
  const flat = new Float32Array(size);
  const m = spec.optimizer === "adam" ? new Float64Array(size) : undefined;
  const v = spec.optimizer === "adam" ? new Float64Array(size) : undefined;
  const one = tf.scalar(1);
  const keep = 1 - spec.dropout;
  let t = 0;

  const reload = (): void => {
    spec.layers.forEach((l, i) => {
      const kSize = shapes[i].k[0] * shapes[i].k[1];
      flat.set(l.kernel.dataSync() as Float32Array, offsets[i]);
      flat.set(l.bias.dataSync() as Float32Array, offsets[i] + kSize);
    });
  };
  reload();

  // fresh tensors each step (copies: the cpu backend would otherwise alias the host array)
  const views = (): { w: tf.Tensor2D; b: tf.Tensor1D }[] => shapes.map(({ k, b }, i) => {
    const at = offsets[i];
    const kSize = k[0] * k[1];
    return { w: tf.tensor2d(flat.slice(at, at + kSize), k), b: tf.tensor1d(flat.slice(at + kSize, at + kSize + b)) };
  });

  const update = (grads: tf.Tensor[]): void => {
    let lrT = spec.learningRate;
    // Adam in Kingma & Ba's efficient form (as scikit-learn): bias corrections folded into the step size
    if (m && v) lrT = (spec.learningRate * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
    let at = 0;
    for (const grad of grads) {
      const g = grad.dataSync() as Float32Array;
      if (m && v) {
        for (let j = 0; j < g.length; j++, at++) {
          const gj = g[j];
          const mj = (m[at] = 0.9 * m[at] + 0.1 * gj);
          const vj = (v[at] = 0.999 * v[at] + 0.001 * gj * gj);
          flat[at] -= (lrT * mj) / (Math.sqrt(vj) + 1e-8);
        }
      } else {
        for (let j = 0; j < g.length; j++, at++) flat[at] -= lrT * g[j];
      }
    }
  };

  return {
    step(xb, yb, wb, rows) {
      t++;
      const params = views();
      const last = params.length - 1;
      // forward, keeping each layer's input, output and dropout mask for the backward pass
      const inputs: tf.Tensor2D[] = [];
      const outs: tf.Tensor2D[] = [];
      const masks: (tf.Tensor2D | undefined)[] = [];
      let h: tf.Tensor2D = xb;
      params.forEach(({ w, b }, i) => {
        inputs.push(h);
        const act = i === last ? "linear" : spec.activation;
        let z = tf.fused.matMul({ a: h, b: w, bias: b, activation: act === "relu" ? "relu" : "linear" }) as tf.Tensor2D;
        if (act === "tanh") z = tf.tanh(z);
        else if (act === "sigmoid") z = tf.sigmoid(z);
        outs.push(z);
        let mask: tf.Tensor2D | undefined;
        if (i !== last && spec.dropout > 0) {
          const u = tf.randomUniform(z.shape, 0, 1, "float32", Math.floor(spec.random() * 2 ** 31));
          mask = tf.mul(tf.floor(tf.add(u, keep)), 1 / keep) as tf.Tensor2D;
          z = tf.mul(z, mask) as tf.Tensor2D;
        }
        masks.push(mask);
        h = z;
      });
      const out = h;
      // loss (summed over rows; the epoch mean is taken once on the host) and its gradient
      let lossSum: tf.Scalar;
      let correct: tf.Scalar | undefined;
      let dz: tf.Tensor2D;
      if (spec.output === "softmax") {
        // softmax is one wasm kernel, logSoftmax six; the clip only bounds the logged loss (at ~69)
        const p = tf.softmax(out);
        const perRow = tf.neg(tf.sum(tf.mul(yb, tf.log(tf.clipByValue(p, 1e-30, 1))), 1));
        lossSum = tf.sum(wb ? tf.mul(perRow, wb) : perRow);
        if (spec.classifier) correct = tf.sum(tf.cast(tf.equal(tf.argMax(out, 1), tf.argMax(yb, 1)), "float32")) as tf.Scalar;
        dz = tf.sub(p, yb);
        dz = tf.mul(dz, wb ? tf.div(tf.reshape(wb, [rows, 1]), rows) : tf.scalar(1 / rows)) as tf.Tensor2D;
      } else {
        const diff = tf.sub(out, yb);
        const perRow = tf.mean(tf.square(diff), 1);
        lossSum = tf.sum(wb ? tf.mul(perRow, wb) : perRow);
        const scale = 2 / (rows * out.shape[1]);
        dz = tf.mul(diff, wb ? tf.mul(tf.reshape(wb, [rows, 1]), scale) : tf.scalar(scale)) as tf.Tensor2D;
      }
      // backward, last layer first; untransposed matMuls (wasm's transposed matMul is ~15x slower)
      const grads: tf.Tensor[] = [];
      for (let i = last; i >= 0; i--) {
        const { w } = params[i];
        let dw: tf.Tensor = tf.matMul(tf.transpose(inputs[i]), dz);
        if (spec.alpha > 0) dw = tf.add(dw, tf.mul(w, spec.alpha / rows));
        grads[2 * i] = dw;
        grads[2 * i + 1] = tf.sum(dz, 0);
        if (i === 0) break;
        let dh = tf.matMul(dz, tf.transpose(w)) as tf.Tensor2D;
        const mask = masks[i - 1];
        if (mask) dh = tf.mul(dh, mask);
        const y = outs[i - 1];
        if (spec.activation === "relu") dh = tf.mul(dh, tf.step(y));
        else if (spec.activation === "tanh") dh = tf.mul(dh, tf.sub(one, tf.square(y)));
        else if (spec.activation === "sigmoid") dh = tf.mul(dh, tf.mul(y, tf.sub(one, y)));
        dz = dh;
      }
      update(grads);
      return [lossSum, correct];
    },
    sync() {
      tf.tidy(() => {
        views().forEach(({ w, b }, i) => {
          spec.layers[i].kernel.assign(w);
          spec.layers[i].bias.assign(b);
        });
      });
    },
    reload,
    dispose() {
      one.dispose();
    },
  };
}
