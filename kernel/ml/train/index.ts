// The train verbs: `train.logisticRegression(table, { target })` etc., plus load and the backend in use.
import { backendName, initTf, type BackendName } from "../tf.js";
import { linearRegression } from "./linearRegression.js";
import { logisticRegression } from "./logisticRegression.js";
import { load } from "./load.js";
import { mlpClassifier } from "./mlpClassifier.js";
import { mlpRegressor } from "./mlpRegressor.js";
import { model } from "./model.js";

export { Model, type ModelKind } from "./trained.js";
export type { FitOptions, OptimizerName } from "./fit.js";
export type { MlpOptions } from "./mlp.js";
export type { LogisticOptions } from "./logisticRegression.js";
export type { LinearOptions } from "./linearRegression.js";
export type { AnyModelOptions } from "./model.js";
export type { EarlyStopping, History } from "./loop.js";
export { lossChart } from "./progress.js";

/** The backend TensorFlow.js trains on ("wasm" by default, "tensorflow" with tfjs-node, "cpu" last). */
function backend(): BackendName | undefined {
  return backendName();
}

/** Initialise TensorFlow.js now (train verbs do it on first use) and return the backend picked. */
function ready(): Promise<BackendName> {
  return initTf();
}

/** `train.mlpClassifier(table, { target })` and the other verbs; `train.load(dir)`, `train.backend()`. */
export const train = { logisticRegression, linearRegression, mlpClassifier, mlpRegressor, model, load, backend, ready };
