// The evaluate verbs: classification and regression metrics equal to scikit-learn's, charts, and the gate.
import { classification } from "./classification.js";
import { confusionChart, residualChart, rocChart, rocCurve } from "./charts.js";
import { gate } from "./gate.js";
import { regression } from "./regression.js";

export { GateError } from "./gate.js";
export type { Average, ClassificationMetrics, ClassificationOptions, PerClass } from "./classification.js";
export type { RegressionMetrics } from "./regression.js";
export type { RocCurve } from "./roc.js";
export type { Label } from "./labels.js";

/** `evaluate.classification(yTrue, yPred, opts)`, `evaluate.regression(...)`, charts and `evaluate.gate`. */
export const evaluate = { classification, regression, gate, rocCurve, confusionChart, rocChart, residualChart };
