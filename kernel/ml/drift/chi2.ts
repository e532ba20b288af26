// Chi-square goodness-of-fit of current category counts against reference shares (Evidently's chi_stat_test).

import { chi2Sf } from "./special.js";
import { alignedCounts, type CategoricalInput } from "./values.js";

export interface Chi2Result {
  statistic: number;
  pValue: number;
  /** Degrees of freedom: number of categories seen in either sample, minus one. */
  df: number;
}

/**
 * Chi-square test of `current` against `reference`: the expected count of each category is its
 * reference count scaled to the size of current, as Evidently calls scipy.stats.chisquare(f_obs, f_exp).
 * A category absent from the reference but present in current gives an infinite statistic (p = 0).
 */
export function chi2(reference: CategoricalInput, current: CategoricalInput): Chi2Result {
  const { ref, cur, nRef, nCur } = alignedCounts(reference, current);
  if (nRef === 0 || nCur === 0) throw new Error("drift.chi2: both samples need at least one value");
  return chi2Counts(ref, cur, nRef, nCur);
}

/** chisquare(f_obs = current counts, f_exp = reference counts * nCur / nRef). */
export function chi2Counts(ref: Float64Array, cur: Float64Array, nRef: number, nCur: number): Chi2Result {
  const k = nCur / nRef;
  let statistic = 0;
  for (let i = 0; i < ref.length; i++) {
    const expected = ref[i] * k;
    const diff = cur[i] - expected;
    statistic += (diff * diff) / expected;
  }
  const df = ref.length - 1;
  if (Number.isNaN(statistic)) statistic = Infinity;
  return { statistic, pValue: df > 0 ? chi2Sf(statistic, df) : NaN, df };
}
