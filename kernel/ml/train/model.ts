// train.model: train any tf.LayersModel on table columns with the same seeded loop, progress and Model API.
import type { ColumnTable } from "arquero";
import { tf } from "../tf.js";
import { fitTable, type FitOptions } from "./fit.js";
import type { LossKind } from "./loop.js";
import type { Model } from "./trained.js";

/** Options of `train.model`: the task decides the loss and how outputs are read. */
export interface AnyModelOptions extends FitOptions {
  /**
   * "classification": the network outputs class probabilities (softmax over one unit per label,
   * or one sigmoid unit for two labels); "regression": one linear unit, squared error.
   */
  task: "classification" | "regression";
}

/**
 * Train a user-built LayersModel (its own initialisers; our seeded shuffling and dropout seeds).
 * The returned Model owns the network: `dispose()` frees it and the optimiser. Its stored hash
 * includes the layer names: unnamed tfjs layers take per-thread counter names (`dense_Dense3`),
 * which change with every model the thread built before, so give each layer a `name` for a hash
 * that reproduces on a re-run and in the exported script (the train verbs' own models do so).
 */
export function model(network: tf.LayersModel, table: ColumnTable | AsyncIterable<ColumnTable>, opts: AnyModelOptions): Promise<Model> {
  const verb = "train.model";
  if (opts.task !== "classification" && opts.task !== "regression") throw new Error(`${verb}: task must be "classification" or "regression", got ${String(opts.task)}`);
  const classifier = opts.task === "classification";
  return fitTable("model", table, opts, classifier, { epochs: 50, batchSize: 32, optimizer: "adam", learningRate: 0.001 }, (inputs, outputs) => {
    const inShape = network.inputs[0]?.shape;
    const outShape = network.outputs[0]?.shape;
    if (network.inputs.length !== 1 || network.outputs.length !== 1 || inShape.length !== 2 || outShape.length !== 2) {
      throw new Error(`${verb}: the network must have one 2-D input [batch, features] and one 2-D output`);
    }
    if (inShape[1] !== inputs) throw new Error(`${verb}: the network takes ${inShape[1]} inputs but ${inputs} feature columns were selected`);
    const units = outShape[1];
    let loss: LossKind;
    if (!classifier) {
      if (units !== 1) throw new Error(`${verb}: a regression network must have 1 output unit, it has ${units}`);
      loss = "mse";
    } else if (units === outputs) {
      loss = "probs";
    } else if (units === 1 && outputs === 2) {
      loss = "binaryProbs";
    } else {
      throw new Error(`${verb}: the target has ${outputs} labels but the network has ${units} output units (use ${outputs}, softmax${outputs === 2 ? ", or 1 sigmoid unit" : ""})`);
    }
    // Dropout layers seed themselves; the seed argument matters only for our dense forward.
    const forward = (x: tf.Tensor2D, training: boolean) => network.apply(x, { training }) as tf.Tensor2D;
    return { network, forward, loss };
  });
}
