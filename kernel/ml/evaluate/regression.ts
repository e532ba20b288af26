// evaluate.regression: mse, rmse, mae and r2 of numeric predictions (scikit-learn's definitions).
import { checkLengths } from "./labels.js";

export interface RegressionMetrics { mse: number; rmse: number; mae: number; r2: number; n: number }

/**
 * Regression metrics equal to scikit-learn's mean_squared_error (and squared=False), mean_absolute_error
 * and r2_score (1 when truth is constant and predictions exact, 0 when constant and not, NaN for one sample).
 * Pure.
 */
export function regression(yTrue: ArrayLike<unknown>, yPred: ArrayLike<unknown>): RegressionMetrics {
  const what = "evaluate.regression";
  checkLengths(yTrue, yPred, what);
  const n = yTrue.length;
  // monomorphic Float64Array loops are several times faster than indexing arbitrary array-likes
  const t = toFloat64(yTrue, "yTrue", what);
  const p = toFloat64(yPred, "yPred", what);
  let sq = 0;
  let abs = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = t[i] - p[i];
    sq += e * e;
    abs += Math.abs(e);
    sum += t[i];
  }
  const meanTrue = sum / n;
  let ssTot = 0;
  for (let i = 0; i < n; i++) { const d = t[i] - meanTrue; ssTot += d * d; }
  const mse = sq / n;
  // one sample has no variance to explain: sklearn's r2_score returns NaN (with a warning)
  const r2 = n < 2 ? NaN : ssTot === 0 ? (sq === 0 ? 1 : 0) : 1 - sq / ssTot;
  return { mse, rmse: Math.sqrt(mse), mae: abs / n, r2, n };
}

function toFloat64(values: ArrayLike<unknown>, name: string, what: string): Float64Array {
  const out = values instanceof Float64Array ? values : Float64Array.from(values, (v) => (typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : NaN));
  for (let i = 0; i < out.length; i++) {
    if (out[i] !== out[i]) throw new TypeError(`${what}: ${name}[${i}] is not a number`);
  }
  return out;
}
