// The fast training step for dense stacks: hand-written forward/backward and a flat Adam/SGD update.
//
// Where the time of a tfjs training step goes (50,000 x 20, 64-64 MLP, wasm): not arithmetic (a
// 256x64x64 matMul takes ~0.1 ms) but ~10 us of overhead per kernel, times ~240 kernels per step
// with autograd, tfjs's per-variable Adam (14 kernels and fresh scalars for each of 6 variables)
// and an L2 penalty on the tape. Here one step is ~60 kernels: parameters live in one flat
// variable (one Adam update for all), gradients are written out (no tape), losses are summed on
// the device and read once per epoch.
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
  // tidy: tf.variable copies its initial value, which would otherwise stay allocated
  const flat = tf.tidy(() => tf.variable(tf.concat(spec.layers.flatMap((l) => [tf.reshape(l.kernel, [-1]), l.bias])), true));
  const size = flat.shape[0];
  const m = spec.optimizer === "adam" ? tf.tidy(() => tf.variable(tf.zeros([size]), false)) : undefined;
  const v = spec.optimizer === "adam" ? tf.tidy(() => tf.variable(tf.zeros([size]), false)) : undefined;
  const c = {
    b1: tf.scalar(0.9), b1c: tf.scalar(0.1), b2: tf.scalar(0.999), b2c: tf.scalar(0.001), eps: tf.scalar(1e-8), one: tf.scalar(1),
  };
  const keep = 1 - spec.dropout;
  let t = 0;

  const views = (): { w: tf.Tensor2D; b: tf.Tensor1D }[] => {
    let at = 0;
    return shapes.map(({ k, b }) => {
      const w = tf.reshape(tf.slice(flat, at, k[0] * k[1]), k) as tf.Tensor2D;
      at += k[0] * k[1];
      const bias = tf.slice(flat, at, b) as tf.Tensor1D;
      at += b;
      return { w, b: bias };
    });
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
        const logp = tf.logSoftmax(out);
        const perRow = tf.neg(tf.sum(tf.mul(yb, logp), 1));
        lossSum = tf.sum(wb ? tf.mul(perRow, wb) : perRow);
        if (spec.classifier) correct = tf.sum(tf.cast(tf.equal(tf.argMax(out, 1), tf.argMax(yb, 1)), "float32")) as tf.Scalar;
        dz = tf.sub(tf.exp(logp), yb);
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
        grads[2 * i] = tf.reshape(dw, [-1]);
        grads[2 * i + 1] = tf.sum(dz, 0);
        if (i === 0) break;
        let dh = tf.matMul(dz, tf.transpose(w)) as tf.Tensor2D;
        const mask = masks[i - 1];
        if (mask) dh = tf.mul(dh, mask);
        const y = outs[i - 1];
        if (spec.activation === "relu") dh = tf.mul(dh, tf.step(y));
        else if (spec.activation === "tanh") dh = tf.mul(dh, tf.sub(c.one, tf.square(y)));
        else if (spec.activation === "sigmoid") dh = tf.mul(dh, tf.mul(y, tf.sub(c.one, y)));
        dz = dh;
      }
      const g = tf.concat(grads);
      if (m && v) {
        // Adam in Kingma & Ba's efficient form (as scikit-learn): bias corrections folded into the step size
        const lrT = (spec.learningRate * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
        const m1 = tf.add(tf.mul(m, c.b1), tf.mul(g, c.b1c));
        const v1 = tf.add(tf.mul(v, c.b2), tf.mul(tf.square(g), c.b2c));
        m.assign(m1);
        v.assign(v1);
        flat.assign(tf.sub(flat, tf.mul(tf.div(m1, tf.add(tf.sqrt(v1), c.eps)), lrT)));
      } else {
        flat.assign(tf.sub(flat, tf.mul(g, spec.learningRate)));
      }
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
    reload() {
      tf.tidy(() => flat.assign(tf.concat(spec.layers.flatMap((l) => [tf.reshape(l.kernel, [-1]), l.bias]))));
    },
    dispose() {
      tf.dispose([flat, ...(m ? [m] : []), ...(v ? [v] : []), ...Object.values(c)]);
    },
  };
}
