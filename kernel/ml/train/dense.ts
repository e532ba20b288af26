// Builds seeded dense-stack LayersModels and the fused forward pass the training loop runs on them.
import { tf } from "../tf.js";

/** Hidden-layer activations the declarative models accept. */
export type Activation = "relu" | "tanh" | "sigmoid" | "elu" | "selu" | "linear";

/** The shape of a dense stack: hidden layer sizes, their activation, dropout after each, and the output. */
export interface DenseSpec {
  inputs: number;
  hidden: number[];
  activation: Activation;
  dropout: number;
  outputs: number;
  /** "softmax" for classifiers (the saved model outputs probabilities), "linear" for regressors. */
  output: "softmax" | "linear";
  seed: number;
}

const ACTIVATIONS: readonly Activation[] = ["relu", "tanh", "sigmoid", "elu", "selu", "linear"];

/** Check an activation name, naming the option when it is unknown. */
export function checkActivation(a: string, verb: string): Activation {
  if (!(ACTIVATIONS as readonly string[]).includes(a)) throw new Error(`${verb}: activation "${a}" is not one of ${ACTIVATIONS.join(", ")}`);
  return a as Activation;
}

/** The name of a dense stack's model, and the prefixes of its layers' names (`mlnb_dense_0`, `mlnb_dropout_0`, ...). */
const DENSE_NAMES = { model: "mlnb_dense", dense: "mlnb_dense_", dropout: "mlnb_dropout_" } as const;

/**
 * A tf.Sequential of Dense (+ Dropout) layers whose kernels use glorotUniform seeded per layer,
 * so the same seed gives the same initial weights on every run.
 *
 * The model and its layers are named by position (`mlnb_dense_0`, `mlnb_dropout_0`, ...), not by
 * tfjs's per-thread counters (`dense_Dense7`), so the saved topology and weight names, and so a
 * fitted model's hash, depend only on the data, params and seed: not on how many models this
 * thread built before (a re-run in one kernel, or trials dealt to pool threads). Names may repeat
 * across models: tfjs keeps the layer's name and suffixes only the backing variable's unique name
 * (`mlnb_dense_0/kernel_1`), while saving uses the original names.
 */
export function buildDense(spec: DenseSpec): tf.Sequential {
  const model = tf.sequential({ name: DENSE_NAMES.model });
  const sizes = [...spec.hidden, spec.outputs];
  sizes.forEach((units, i) => {
    const last = i === sizes.length - 1;
    model.add(tf.layers.dense({
      name: `${DENSE_NAMES.dense}${i}`,
      units,
      activation: last ? spec.output : spec.activation,
      kernelInitializer: tf.initializers.glorotUniform({ seed: (spec.seed + i * 7919) >>> 0 }),
      biasInitializer: "zeros",
      ...(i === 0 ? { inputShape: [spec.inputs] } : {}),
    }));
    if (!last && spec.dropout > 0) model.add(tf.layers.dropout({ name: `${DENSE_NAMES.dropout}${i}`, rate: spec.dropout, seed: (spec.seed + i * 104729) >>> 0 }));
  });
  return model;
}

/** Kernel and bias variables of each Dense layer, in order (the tensors the optimiser updates). */
export function denseVariables(model: tf.LayersModel): { kernel: tf.Variable; bias: tf.Variable }[] {
  const out: { kernel: tf.Variable; bias: tf.Variable }[] = [];
  for (const layer of model.layers) {
    if (layer.getClassName() !== "Dense") continue;
    const [kernel, bias] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    out.push({ kernel, bias });
  }
  return out;
}

/**
 * The forward pass to the output layer's pre-activation (logits for classifiers). Each layer is one
 * fused matMul+bias(+relu) kernel with a hand-written gradient: tfjs's own matMul gradient uses
 * transposed matMuls, which on the wasm backend take ~2 ms each against ~0.15 ms for an explicit
 * transpose followed by a plain matMul; that, not arithmetic, was most of a training step.
 */
export function denseForward(model: tf.LayersModel, spec: DenseSpec): (x: tf.Tensor2D, training: boolean, seed: () => number) => tf.Tensor2D {
  const layers = denseVariables(model);
  const relu = denseOp("relu");
  const linear = denseOp("linear");
  return (x, training, seed) => {
    let h: tf.Tensor2D = x;
    layers.forEach(({ kernel, bias }, i) => {
      const last = i === layers.length - 1;
      const act = last ? "linear" : spec.activation;
      if (act === "relu") h = relu(h, kernel as tf.Tensor2D, bias as tf.Tensor1D);
      else h = activate(linear(h, kernel as tf.Tensor2D, bias as tf.Tensor1D), act);
      if (!last && training && spec.dropout > 0) h = tf.dropout(h, spec.dropout, undefined, seed()) as tf.Tensor2D;
    });
    return h;
  };
}

/** y = act(x W + b) as one fused kernel, with a gradient built from untransposed matMuls. */
function denseOp(act: "relu" | "linear"): (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D {
  const op = tf.customGrad(((x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, save: tf.GradSaveFunc) => {
    const y = tf.fused.matMul({ a: x, b: w, bias: b, activation: act }) as tf.Tensor2D;
    save([x, w, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
        const [sx, sw, sy] = saved as tf.Tensor2D[];
        const dz = act === "relu" ? tf.mul(dy, tf.step(sy)) : dy;
        return [tf.matMul(dz, tf.transpose(sw)), tf.matMul(tf.transpose(sx), dz), tf.sum(dz, 0)];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op as unknown as (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;
}

function activate(x: tf.Tensor2D, a: Activation): tf.Tensor2D {
  switch (a) {
    case "tanh": return tf.tanh(x);
    case "sigmoid": return tf.sigmoid(x);
    case "elu": return tf.elu(x);
    case "selu": return tf.selu(x);
    default: return x;
  }
}
