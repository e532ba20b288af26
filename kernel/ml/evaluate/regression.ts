// evaluate.regression: mse, rmse, mae and r2 of numeric predictions (scikit-learn's definitions).
import { checkLengths } from "./labels.js";

export interface RegressionMetrics { mse: number; rmse: number; mae: number; r2: number; n: number }

/**
 * Regression metrics equal to scikit-learn's mean_squared_error (and squared=False), mean_absolute_error
 * and r2_score (1 when truth is constant and predictions exact, 0 when constant and not). Pure.
 */
export function regression(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): RegressionMetrics {
  const what = "evaluate.regression";
  checkLengths(yTrue, yPred, what);
  const n = yTrue.length;
  let sq = 0;
  let abs = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const t = yTrue[i];
    const p = yPred[i];
    if (typeof t !== "number" || Number.isNaN(t)) throw new TypeError(`${what}: yTrue[${i}] is not a number`);
    if (typeof p !== "number" || Number.isNaN(p)) throw new TypeError(`${what}: yPred[${i}] is not a number`);
    const e = t - p;
    sq += e * e;
    abs += Math.abs(e);
    sum += t;
  }
  const meanTrue = sum / n;
  let ssTot = 0;
  for (let i = 0; i < n; i++) { const d = yTrue[i] - meanTrue; ssTot += d * d; }
  const mse = sq / n;
  const r2 = ssTot === 0 ? (sq === 0 ? 1 : 0) : 1 - sq / ssTot;
  return { mse, rmse: Math.sqrt(mse), mae: abs / n, r2, n };
}
