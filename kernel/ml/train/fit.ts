// Shared fitting path of every train verb: leakage check, table encoding, seeding, validation, loop, Model.
import type { ColumnTable } from "arquero";
import { checkLeakage } from "../lineage.js";
import { context, mulberry32 } from "../context.js";
import { initTf, tf } from "../tf.js";
import { columnValues, distinctLabels, featureMatrix, featureNames, labelCodes, numericTarget, oneHot, takeRows, type ColumnSpec, type Label } from "./data.js";
import { runLoop, type EarlyStopping, type Forward, type History, type LossKind, type Stepper, type TrainData } from "./loop.js";
import { progress } from "./progress.js";
import { Model, type ModelKind } from "./trained.js";

/** Optimisers by name (tfjs's implementations). */
export type OptimizerName = "adam" | "sgd" | "rmsprop" | "adagrad" | "adamax";

/** Options every train verb takes. */
export interface FitOptions extends ColumnSpec {
  /** Seed of initialisers, shuffling and dropout; default: the stage's `context().seed()`. */
  seed?: number;
  epochs?: number;
  batchSize?: number;
  optimizer?: OptimizerName;
  learningRate?: number;
  /** `true` = patience 5 on val_loss (or loss without validation), restoring the best weights. */
  earlyStopping?: boolean | EarlyStopping;
  /** Fraction of rows held out (a seeded random sample) to report val_loss / val_acc. */
  validationSplit?: number;
  /** A separate validation table (checked for leakage like the training table). */
  validationData?: ColumnTable;
  /** Per-label loss weights, or "balanced" (n / (classes * count), as scikit-learn). */
  classWeights?: Record<string, number> | "balanced";
  /** Show epoch progress and the loss chart in the cell (default true). */
  progress?: boolean;
  /**
   * "auto" (default) trains dense stacks with the hand-written fast step when the optimizer is adam
   * or sgd and the activation relu/tanh/sigmoid/linear; "autograd" always uses optimizer.minimize.
   */
  engine?: "auto" | "autograd";
}

/** What a verb builds once it knows the input width and the number of outputs. */
export interface Built {
  network: tf.LayersModel;
  forward: Forward;
  loss: LossKind;
  /** Kernels for the alpha penalty (dense stacks only). */
  kernels?: tf.Variable[];
  alpha?: number;
  /** A fast stepper for this network, if it has one for these settings. */
  fast?: (o: { optimizer: OptimizerName; learningRate: number; random: () => number; classifier: boolean }) => Stepper | undefined;
}

export interface FitDefaults { epochs: number; batchSize: number | "sklearn"; optimizer: OptimizerName; learningRate: number }

/** Train a network built by `build` on `table`; the verb name is used in errors, the leakage check and the display. */
export async function fitTable(
  kind: ModelKind,
  source: ColumnTable | AsyncIterable<ColumnTable>,
  opts: FitOptions,
  classifier: boolean,
  defaults: FitDefaults,
  build: (inputs: number, outputs: number, seed: number, labels?: Label[]) => Built,
): Promise<Model> {
  const verb = `train.${kind}`;
  if (isBatches(source)) return fitBatches(kind, source, opts, classifier, defaults, build);
  const table = source;
  checkLeakage(table, verb);
  if (opts.validationData) checkLeakage(opts.validationData, `${verb} (validationData)`);
  await initTf();
  const seed = (opts.seed ?? context().seed()) >>> 0;
  const random = mulberry32(seed ^ 0x5bd1e995);
  const features = featureNames(table, opts, verb);
  const targetValues = columnValues(table, opts.target);
  const labels = classifier ? distinctLabels(targetValues, opts.target, verb) : undefined;
  if (labels && labels.length < 2) throw new Error(`${verb}: target column "${opts.target}" has a single class (${String(labels[0])}); a classifier needs at least two`);
  const n = table.numRows();
  if (n === 0) throw new Error(`${verb}: the table has no rows`);

  const encode = encoder(features, labels, opts, verb);

  const outputs = labels ? labels.length : 1;
  const built = build(features.length, outputs, seed, labels);
  const yDim = built.loss === "binaryProbs" || built.loss === "mse" ? 1 : outputs;
  const optimizerName = opts.optimizer ?? defaults.optimizer;
  const learningRate = opts.learningRate ?? defaults.learningRate;
  let stepper: Stepper | undefined;
  let optimizer: tf.Optimizer | undefined;
  try {
    if (!(learningRate > 0)) throw new Error(`${verb}: learningRate must be > 0, got ${learningRate}`);
    if (opts.engine !== "autograd") stepper = built.fast?.({ optimizer: optimizerName, learningRate, random, classifier: !!labels });
    if (!stepper) optimizer = makeOptimizer(optimizerName, learningRate, verb);
    let data = encode(table, verb, yDim);
    let val: TrainData | undefined;
    if (opts.validationData) {
      val = encode(opts.validationData, `${verb} (validationData)`, yDim);
    } else if (opts.validationSplit !== undefined) {
      [data, val] = holdOut(data, opts.validationSplit, random, verb);
    }
    const epochs = opts.epochs ?? defaults.epochs;
    const batchSize = opts.batchSize ?? (defaults.batchSize === "sklearn" ? Math.min(200, data.n) : defaults.batchSize);
    if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`${verb}: epochs must be a positive integer, got ${epochs}`);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`${verb}: batchSize must be a positive integer, got ${batchSize}`);
    const earlyStopping = opts.earlyStopping === true ? {} : opts.earlyStopping || undefined;
    const show = opts.progress ?? true;
    const bar = show ? progress(`${verb} (${opts.target})`, epochs) : undefined;
    const vars = built.network.trainableWeights.map((w) => w.read() as tf.Variable);
    const { history, stoppedEpoch } = await runLoop(data, {
      forward: built.forward, stepper, vars, kernels: built.kernels ?? [], alpha: built.alpha ?? 0, loss: built.loss,
      classifier: !!labels, optimizer, epochs, batchSize, random, earlyStopping, val,
      onEpoch: bar ? (e, logs) => bar.epoch(e, logs) : undefined,
    });
    bar?.done(history, stoppedEpoch !== undefined ? `early stopping at epoch ${stoppedEpoch + 1}` : undefined);
    return new Model(built.network, { kind, task: labels ? "classification" : "regression", target: opts.target, features, labels, history, seed, stoppedEpoch }, optimizer);
  } catch (err) {
    built.network.dispose();
    optimizer?.dispose();
    throw err;
  } finally {
    // the fast step's flat parameters and Adam moments are only needed while training
    stepper?.dispose();
  }
}

/** Table rows as training arrays: features, targets (codes, one-hot or values) and class weights. */
function encoder(features: string[], labels: Label[] | undefined, opts: FitOptions, verb: string) {
  return (t: ColumnTable, what: string, yDim: number): TrainData => {
    const x = featureMatrix(t, features, what);
    const values = columnValues(t, opts.target);
    let y: Float32Array;
    let w: Float32Array | undefined;
    if (labels) {
      const codes = labelCodes(values, labels, opts.target, what);
      y = yDim === 1 ? Float32Array.from(codes) : oneHot(codes, labels.length);
      w = classWeightsOf(opts.classWeights, labels, codes, verb);
    } else {
      y = numericTarget(values, opts.target, what);
    }
    return { x, y, n: t.numRows(), d: features.length, yDim, w };
  };
}

/** True for a stream of table batches (read.sqlBatches, read.parquetBatches, ...) rather than one table. */
function isBatches(source: ColumnTable | AsyncIterable<ColumnTable>): source is AsyncIterable<ColumnTable> {
  return typeof (source as AsyncIterable<ColumnTable>)[Symbol.asyncIterator] === "function" && typeof (source as ColumnTable).numRows !== "function";
}

/**
 * Train from table batches (data larger than memory): a first pass finds the features (first
 * batch) and, for classifiers, every label; then each epoch streams the batches again and runs
 * the seeded loop over each batch's rows (shuffled within the batch). Only one batch is in
 * memory at a time; the same batches and seed give the same model.
 */
async function fitBatches(
  kind: ModelKind,
  batches: AsyncIterable<ColumnTable>,
  opts: FitOptions,
  classifier: boolean,
  defaults: FitDefaults,
  build: (inputs: number, outputs: number, seed: number, labels?: Label[]) => Built,
): Promise<Model> {
  const verb = `train.${kind}`;
  for (const o of ["validationSplit", "validationData", "earlyStopping"] as const) {
    if (opts[o] !== undefined && opts[o] !== false) throw new Error(`${verb}: ${o} is not available when training from batches (a stream); evaluate on a held-out table instead`);
  }
  if (opts.classWeights === "balanced") throw new Error(`${verb}: classWeights "balanced" needs every row at once; give weights per label when training from batches`);
  await initTf();
  const seed = (opts.seed ?? context().seed()) >>> 0;
  const random = mulberry32(seed ^ 0x5bd1e995);
  let features: string[] | undefined;
  const seen = new Set<unknown>();
  let n = 0;
  for await (const batch of batches) {
    checkLeakage(batch, verb);
    features ??= featureNames(batch, opts, verb);
    if (classifier) for (const v of distinctLabels(columnValues(batch, opts.target), opts.target, verb)) seen.add(v);
    n += batch.numRows();
  }
  if (!features || n === 0) throw new Error(`${verb}: the batches have no rows`);
  const labels = classifier ? distinctLabels([...seen], opts.target, verb) : undefined;
  if (labels && labels.length < 2) throw new Error(`${verb}: target column "${opts.target}" has a single class (${String(labels[0])}); a classifier needs at least two`);
  const encode = encoder(features, labels, opts, verb);
  const outputs = labels ? labels.length : 1;
  const built = build(features.length, outputs, seed, labels);
  const yDim = built.loss === "binaryProbs" || built.loss === "mse" ? 1 : outputs;
  const optimizerName = opts.optimizer ?? defaults.optimizer;
  const learningRate = opts.learningRate ?? defaults.learningRate;
  let stepper: Stepper | undefined;
  let optimizer: tf.Optimizer | undefined;
  try {
    if (!(learningRate > 0)) throw new Error(`${verb}: learningRate must be > 0, got ${learningRate}`);
    if (opts.engine !== "autograd") stepper = built.fast?.({ optimizer: optimizerName, learningRate, random, classifier: !!labels });
    if (!stepper) optimizer = makeOptimizer(optimizerName, learningRate, verb);
    const epochs = opts.epochs ?? defaults.epochs;
    const batchSize = opts.batchSize ?? (defaults.batchSize === "sklearn" ? 200 : defaults.batchSize);
    if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`${verb}: epochs must be a positive integer, got ${epochs}`);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`${verb}: batchSize must be a positive integer, got ${batchSize}`);
    const bar = opts.progress ?? true ? progress(`${verb} (${opts.target}, batches)`, epochs) : undefined;
    const vars = built.network.trainableWeights.map((w) => w.read() as tf.Variable);
    const history: History = { loss: [], ...(labels ? { acc: [] } : {}) };
    for (let epoch = 0; epoch < epochs; epoch++) {
      const sums: Record<string, number> = {};
      let rows = 0;
      for await (const batch of batches) {
        const data = encode(batch, verb, yDim);
        if (!data.n) continue;
        const { history: h } = await runLoop(data, {
          forward: built.forward, stepper, vars, kernels: built.kernels ?? [], alpha: built.alpha ?? 0, loss: built.loss,
          classifier: !!labels, optimizer, epochs: 1, batchSize, random,
        });
        for (const [k, v] of Object.entries(h)) sums[k] = (sums[k] ?? 0) + v[0]! * data.n;
        rows += data.n;
      }
      const logs = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / rows]));
      for (const [k, v] of Object.entries(logs)) history[k]?.push(v);
      bar?.epoch(epoch, logs);
    }
    bar?.done(history);
    return new Model(built.network, { kind, task: labels ? "classification" : "regression", target: opts.target, features, labels, history, seed }, optimizer);
  } catch (err) {
    built.network.dispose();
    optimizer?.dispose();
    throw err;
  } finally {
    stepper?.dispose();
  }
}

/** Build a tfjs optimiser by name. */
export function makeOptimizer(name: OptimizerName, lr: number, verb: string): tf.Optimizer {
  if (!(lr > 0)) throw new Error(`${verb}: learningRate must be > 0, got ${lr}`);
  switch (name) {
    case "adam": return tf.train.adam(lr);
    case "sgd": return tf.train.sgd(lr);
    case "rmsprop": return tf.train.rmsprop(lr);
    case "adagrad": return tf.train.adagrad(lr);
    case "adamax": return tf.train.adamax(lr);
    default: throw new Error(`${verb}: optimizer "${String(name)}" is not one of adam, sgd, rmsprop, adagrad, adamax`);
  }
}

function classWeightsOf(spec: FitOptions["classWeights"], labels: Label[], codes: Int32Array, verb: string): Float32Array | undefined {
  if (!spec) return undefined;
  const per = new Float64Array(labels.length).fill(1);
  if (spec === "balanced") {
    const counts = new Float64Array(labels.length);
    for (let i = 0; i < codes.length; i++) counts[codes[i]]++;
    for (let c = 0; c < labels.length; c++) per[c] = counts[c] ? codes.length / (labels.length * counts[c]) : 0;
  } else {
    for (const [key, weight] of Object.entries(spec)) {
      const c = labels.findIndex((l) => String(l) === key);
      if (c < 0) throw new Error(`${verb}: classWeights names label "${key}", which is not in the target (labels: ${labels.join(", ")})`);
      if (!(weight >= 0)) throw new Error(`${verb}: classWeights["${key}"] must be >= 0, got ${weight}`);
      per[c] = weight;
    }
  }
  const w = new Float32Array(codes.length);
  for (let i = 0; i < codes.length; i++) w[i] = per[codes[i]];
  return w;
}

/** Split off a seeded random `fraction` of the rows as validation data. */
function holdOut(data: TrainData, fraction: number, random: () => number, verb: string): [TrainData, TrainData] {
  if (!(fraction > 0 && fraction < 1)) throw new Error(`${verb}: validationSplit must be between 0 and 1, got ${fraction}`);
  const nVal = Math.round(data.n * fraction);
  if (nVal < 1 || nVal >= data.n) throw new Error(`${verb}: validationSplit ${fraction} of ${data.n} rows leaves no training or no validation rows`);
  const order = Uint32Array.from({ length: data.n }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const valIdx = order.subarray(0, nVal).sort();
  const trainIdx = order.subarray(nVal).sort();
  const pick = (idx: Uint32Array): TrainData => ({
    x: takeRows(data.x, data.d, idx), y: takeRows(data.y, data.yDim, idx), n: idx.length, d: data.d, yDim: data.yDim,
    w: data.w ? takeRows(data.w, 1, idx) : undefined,
  });
  return [pick(trainIdx), pick(valIdx)];
}
