// Two-proportion z-test for binary columns (Evidently's z_stat_test, used when a column has at most two values).

import { normalSf } from "./special.js";
import { alignedCounts, type CategoricalInput } from "./values.js";

export interface ZResult {
  statistic: number;
  pValue: number;
}

/** Two-sided z-test that the share of the first category is the same in both samples. */
export function zTest(reference: CategoricalInput, current: CategoricalInput): ZResult {
  const { ref, cur, nRef, nCur } = alignedCounts(reference, current);
  if (nRef === 0 || nCur === 0) throw new Error("drift.zTest: both samples need at least one value");
  return zTestCounts(ref, cur, nRef, nCur);
}

/** The z-test on aligned counts (at most two categories). */
export function zTestCounts(ref: Float64Array, cur: Float64Array, nRef: number, nCur: number): ZResult {
  if (ref.length > 2) throw new Error(`drift.zTest: needs at most two categories, got ${ref.length}`);
  if (ref.length === 1) return { statistic: 0, pValue: 1 };
  const p1 = ref[0] / nRef;
  const p2 = cur[0] / nCur;
  const P = (p1 * nRef + p2 * nCur) / (nRef + nCur);
  const z = (p1 - p2) / Math.sqrt(P * (1 - P) * (1 / nRef + 1 / nCur));
  // Evidently computes 2 * (1 - norm.cdf(|z|)); the rounding of that difference is kept.
  return { statistic: z, pValue: 2 * (1 - (1 - normalSf(Math.abs(z)))) };
}
