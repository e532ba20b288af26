// train.mlpClassifier: a multi-layer perceptron classifier (softmax output) on table columns.
import type { ColumnTable } from "arquero";
import { fitTable } from "./fit.js";
import { denseBuilder, type MlpOptions } from "./mlp.js";
import type { Model } from "./trained.js";

/**
 * Train an MLP classifier predicting `target` (any labels; sorted like scikit-learn's classes_).
 * Defaults follow scikit-learn's MLPClassifier: layers [100], relu, adam 0.001, alpha 1e-4,
 * batch min(200, n), 200 epochs.
 */
export function mlpClassifier(table: ColumnTable | AsyncIterable<ColumnTable>, opts: MlpOptions): Promise<Model> {
  const build = denseBuilder(opts, opts.layers ?? [100], "softmax", "train.mlpClassifier", 1e-4);
  return fitTable("mlpClassifier", table, opts, true, { epochs: 200, batchSize: "sklearn", optimizer: "adam", learningRate: 0.001 }, build);
}
