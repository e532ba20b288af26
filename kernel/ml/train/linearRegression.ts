// train.linearRegression: ordinary least squares as one linear unit trained by gradient descent.
import type { ColumnTable } from "arquero";
import { fitTable, type FitOptions } from "./fit.js";
import { denseBuilder } from "./mlp.js";
import type { Model } from "./trained.js";

/** Options of linear regression: the common ones plus an L2 (ridge) penalty. */
export interface LinearOptions extends FitOptions {
  /** L2 penalty on the weights (alpha / (2 * batch rows) * ||w||^2); default 0. */
  alpha?: number;
}

/**
 * Train a linear regression of the numeric `target` on the features (squared error).
 * Scale features first (prep.StandardScaler) for fast convergence. Defaults: adam 0.05, batch 32, 100 epochs.
 */
export function linearRegression(table: ColumnTable | AsyncIterable<ColumnTable>, opts: LinearOptions): Promise<Model> {
  const build = denseBuilder({ ...opts, dropout: 0 }, [], "linear", "train.linearRegression", 0);
  return fitTable("linearRegression", table, opts, false, { epochs: 100, batchSize: 32, optimizer: "adam", learningRate: 0.05 }, build);
}
