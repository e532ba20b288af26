// train.logisticRegression: multinomial logistic regression (one softmax layer) trained by gradient descent.
import type { ColumnTable } from "arquero";
import { fitTable, type FitOptions } from "./fit.js";
import { denseBuilder } from "./mlp.js";
import type { Model } from "./trained.js";

/** Options of logistic regression: the common ones plus an L2 penalty. */
export interface LogisticOptions extends FitOptions {
  /** L2 penalty on the weights (alpha / (2 * batch rows) * ||W||^2); default 0. */
  alpha?: number;
}

/**
 * Train a logistic regression classifier. Features should be on comparable scales (fit a
 * prep.StandardScaler on the train partition first): gradient descent converges slowly otherwise.
 * Defaults: adam 0.05, batch 32, 100 epochs.
 */
export function logisticRegression(table: ColumnTable | AsyncIterable<ColumnTable>, opts: LogisticOptions): Promise<Model> {
  const build = denseBuilder({ ...opts, dropout: 0 }, [], "softmax", "train.logisticRegression", 0);
  return fitTable("logisticRegression", table, opts, true, { epochs: 100, batchSize: 32, optimizer: "adam", learningRate: 0.05 }, build);
}
