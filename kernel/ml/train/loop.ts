// The seeded training loop: own shuffling and batching, one optimizer.minimize per batch, early stopping.
//
// Why not model.fit: fit re-slices tensors, runs a callback chain and syncs every batch, which on the
// wasm backend costs more than the arithmetic. Here batches are built from typed arrays, the loss of
// every batch stays on the device and is read once per epoch, and the shuffle is our own seeded one.
import { context } from "../context.js";
import { tf } from "../tf.js";
import { takeRows } from "./data.js";

/** Rows ready for training: features (n x d) and targets (n x yDim: one-hot, codes or values). */
export interface TrainData {
  x: Float32Array;
  y: Float32Array;
  n: number;
  d: number;
  yDim: number;
  /** Per-row weights (class weights), if any. */
  w?: Float32Array;
}

/**
 * How the output is scored: "logits" (softmax cross-entropy on pre-activations), "probs"
 * (categorical cross-entropy on probabilities), "binaryProbs" (one sigmoid unit), "mse".
 */
export type LossKind = "logits" | "probs" | "binaryProbs" | "mse";

/** Early stopping as in Keras: stop after `patience` epochs without a `minDelta` improvement. */
export interface EarlyStopping {
  monitor?: "loss" | "val_loss";
  patience?: number;
  minDelta?: number;
  /** Put back the weights of the best epoch when stopping (default true). */
  restoreBestWeights?: boolean;
}

/** A forward pass: inputs to outputs (training=true enables dropout, seeded by `seed()`). */
export type Forward = (x: tf.Tensor2D, training: boolean, seed: () => number) => tf.Tensor2D;

/**
 * A training step that replaces optimizer.minimize (the fast dense path): returns the batch's
 * summed row loss and, for classifiers, the number of correct predictions.
 */
export interface Stepper {
  step(xb: tf.Tensor2D, yb: tf.Tensor2D, wb: tf.Tensor1D | undefined, rows: number): [tf.Scalar, tf.Scalar | undefined];
  /** Copy the trained parameters into the model's variables (before evaluation and at the end). */
  sync(): void;
  /** Take the model's variables back as the trained parameters (after restoring best weights). */
  reload(): void;
  dispose(): void;
}

export interface LoopOptions {
  forward: Forward;
  /** When set, used instead of optimizer.minimize on `forward`. */
  stepper?: Stepper;
  vars: tf.Variable[];
  /** Kernels penalised by `alpha`. */
  kernels: tf.Variable[];
  /** L2 penalty as scikit-learn's MLP alpha: alpha / (2 * batch rows) * sum of squared kernel weights (not in the reported loss). */
  alpha: number;
  loss: LossKind;
  classifier: boolean;
  optimizer?: tf.Optimizer;
  epochs: number;
  batchSize: number;
  random: () => number;
  earlyStopping?: EarlyStopping;
  val?: TrainData;
  onEpoch?: (epoch: number, logs: Record<string, number>) => void;
}

/** Keras-style history: one array per metric (loss, acc, val_loss, val_acc), one entry per epoch. */
export type History = Record<string, number[]>;

/** Run the loop; returns the history and the epoch at which early stopping ended it (if it did). */
export async function runLoop(data: TrainData, o: LoopOptions): Promise<{ history: History; stoppedEpoch?: number }> {
  const history: History = { loss: [] };
  if (o.classifier) history.acc = [];
  if (o.val) {
    history.val_loss = [];
    if (o.classifier) history.val_acc = [];
  }
  const es = o.earlyStopping;
  const monitor = es?.monitor ?? (o.val ? "val_loss" : "loss");
  if (monitor === "val_loss" && es && !o.val) throw new Error("earlyStopping: monitor \"val_loss\" needs validationSplit or validationData");
  let best = Infinity;
  let wait = 0;
  let bestWeights: tf.Tensor[] | undefined;
  let stoppedEpoch: number | undefined;
  const order = new Uint32Array(data.n);
  for (let i = 0; i < data.n; i++) order[i] = i;

  try {
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      shuffle(order, o.random);
      const costs: tf.Scalar[] = [];
      const corrects: tf.Scalar[] = [];
      const sizes: number[] = [];
      for (let start = 0; start < data.n; start += o.batchSize) {
        const idx = order.subarray(start, Math.min(start + o.batchSize, data.n));
        sizes.push(idx.length);
        const [cost, correct] = tf.tidy(() => step(data, idx, o));
        costs.push(cost);
        if (correct) corrects.push(correct);
      }
      o.stepper?.sync();
      const logs = readEpoch(costs, corrects, o.stepper ? undefined : sizes, data.n);
      if (o.val) Object.assign(logs, evaluateRows(o.val, o));
      for (const [k, v] of Object.entries(logs)) history[k]?.push(v);
      o.onEpoch?.(epoch, logs);
      await new Promise((resolve) => setImmediate(resolve));
      // An interrupt of the run stops training at the epoch's end (the tune search's trials included),
      // instead of fitting on in the background after the cell was reported interrupted.
      context().signal?.throwIfAborted();

      if (es) {
        const value = logs[monitor];
        if (value < best - (es.minDelta ?? 0)) {
          best = value;
          wait = 0;
          if (es.restoreBestWeights ?? true) {
            bestWeights?.forEach((t) => t.dispose());
            bestWeights = o.vars.map((v) => tf.clone(v));
          }
        } else if (++wait >= (es.patience ?? 5)) {
          stoppedEpoch = epoch;
          break;
        }
      }
    }
    if (bestWeights && stoppedEpoch !== undefined) {
      o.vars.forEach((v, i) => v.assign(bestWeights![i]));
      o.stepper?.reload();
    }
  } finally {
    bestWeights?.forEach((t) => t.dispose());
  }
  return { history, stoppedEpoch };
}

function step(data: TrainData, idx: Uint32Array, o: LoopOptions): [tf.Scalar, tf.Scalar | undefined] {
  const xb = tf.tensor2d(takeRows(data.x, data.d, idx), [idx.length, data.d]);
  const yb = tf.tensor2d(takeRows(data.y, data.yDim, idx), [idx.length, data.yDim]);
  const wb = data.w ? tf.tensor1d(takeRows(data.w, 1, idx)) : undefined;
  if (o.stepper) {
    const [sum, right] = o.stepper.step(xb, yb, wb, idx.length);
    return [tf.keep(sum), right && tf.keep(right)];
  }
  if (!o.optimizer) throw new Error("training loop: no optimizer and no stepper");
  let correct: tf.Scalar | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const out = o.forward(xb, true, o.random);
    if (o.classifier) correct = tf.keep(countCorrect(out, yb, o.loss));
    return batchLoss(out, yb, o.loss, wb);
  }, o.vars);
  // the L2 penalty enters as its gradient, so the reported loss is the data loss on both paths
  if (o.alpha > 0) for (const k of o.kernels) grads[k.name] = tf.add(grads[k.name], tf.mul(k, o.alpha / idx.length));
  o.optimizer.applyGradients(grads);
  return [value, correct];
}

/** Mean (optionally weighted) per-row loss of a batch. */
export function batchLoss(out: tf.Tensor2D, y: tf.Tensor2D, kind: LossKind, w?: tf.Tensor1D): tf.Scalar {
  let per: tf.Tensor1D;
  switch (kind) {
    case "logits":
      per = tf.losses.softmaxCrossEntropy(y, out, undefined, 0, tf.Reduction.NONE) as tf.Tensor1D;
      break;
    case "probs":
      per = tf.neg(tf.sum(tf.mul(y, tf.log(tf.clipByValue(out, 1e-7, 1 - 1e-7))), 1)) as tf.Tensor1D;
      break;
    case "binaryProbs": {
      const p = tf.clipByValue(out, 1e-7, 1 - 1e-7);
      per = tf.neg(tf.sum(tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p)))), 1)) as tf.Tensor1D;
      break;
    }
    case "mse":
      per = tf.mean(tf.squaredDifference(out, y), 1);
      break;
  }
  return tf.mean(w ? tf.mul(per, w) : per);
}

function countCorrect(out: tf.Tensor2D, y: tf.Tensor2D, kind: LossKind): tf.Scalar {
  if (kind === "binaryProbs") return tf.sum(tf.cast(tf.equal(tf.greater(out, 0.5), tf.greater(y, 0.5)), "float32"));
  return tf.sum(tf.cast(tf.equal(tf.argMax(out, 1), tf.argMax(y, 1)), "float32"));
}

/** Read an epoch's device-side batch losses in one sync (batch means weighted by batch size, or sums). */
function readEpoch(costs: tf.Scalar[], corrects: tf.Scalar[], sizes: number[] | undefined, n: number): Record<string, number> {
  const c = tf.tidy(() => tf.stack(costs).dataSync());
  const a = corrects.length ? tf.tidy(() => tf.stack(corrects).dataSync()) : undefined;
  costs.forEach((t) => t.dispose());
  corrects.forEach((t) => t.dispose());
  let loss = 0;
  for (let i = 0; i < c.length; i++) loss += sizes ? c[i] * sizes[i] : c[i];
  const logs: Record<string, number> = { loss: loss / n };
  if (a) {
    let correct = 0;
    for (let i = 0; i < a.length; i++) correct += a[i];
    logs.acc = correct / n;
  }
  return logs;
}

/** Loss (and accuracy) of held-out rows in inference mode, in chunks to bound memory. */
function evaluateRows(val: TrainData, o: LoopOptions): Record<string, number> {
  const chunk = 8192;
  let loss = 0;
  let correct = 0;
  for (let s = 0; s < val.n; s += chunk) {
    const m = Math.min(chunk, val.n - s);
    const [l, c] = tf.tidy(() => {
      const xb = tf.tensor2d(val.x.subarray(s * val.d, (s + m) * val.d), [m, val.d]);
      const yb = tf.tensor2d(val.y.subarray(s * val.yDim, (s + m) * val.yDim), [m, val.yDim]);
      const wb = val.w ? tf.tensor1d(val.w.subarray(s, s + m)) : undefined;
      const out = o.forward(xb, false, o.random);
      return [batchLoss(out, yb, o.loss, wb).dataSync()[0], o.classifier ? countCorrect(out, yb, o.loss).dataSync()[0] : 0];
    });
    loss += l * m;
    correct += c;
  }
  const logs: Record<string, number> = { val_loss: loss / val.n };
  if (o.classifier) logs.val_acc = correct / val.n;
  return logs;
}

/** Fisher-Yates in place with the given uniform generator. */
export function shuffle(a: Uint32Array, random: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
