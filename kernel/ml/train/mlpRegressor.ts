// train.mlpRegressor: a multi-layer perceptron regressor (linear output, squared error) on table columns.
import type { ColumnTable } from "arquero";
import { fitTable } from "./fit.js";
import { denseBuilder, type MlpOptions } from "./mlp.js";
import type { Model } from "./trained.js";

/**
 * Train an MLP regressor predicting the numeric `target`. Defaults follow scikit-learn's
 * MLPRegressor: layers [100], relu, adam 0.001, alpha 1e-4, batch min(200, n), 200 epochs.
 */
export function mlpRegressor(table: ColumnTable | AsyncIterable<ColumnTable>, opts: MlpOptions): Promise<Model> {
  const build = denseBuilder(opts, opts.layers ?? [100], "linear", "train.mlpRegressor", 1e-4);
  return fitTable("mlpRegressor", table, opts, false, { epochs: 200, batchSize: "sklearn", optimizer: "adam", learningRate: 0.001 }, build);
}
