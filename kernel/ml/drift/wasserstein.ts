// First Wasserstein (earth mover's) distance between two samples, as scipy.stats.wasserstein_distance.

import { sortedNumbers, type NumericInput } from "./values.js";

export interface WassersteinResult {
  /** scipy.stats.wasserstein_distance(reference, current). */
  statistic: number;
  /** The distance divided by max(std(reference), 0.001), Evidently's "normed" score (threshold 0.1). */
  normalized: number;
}

/** Wasserstein distance of two samples (NaN/null dropped), raw and normalised by the reference's spread. */
export function wasserstein(reference: NumericInput, current: NumericInput): WassersteinResult {
  return wassersteinSorted(sortedNumbers(reference), sortedNumbers(current));
}

/** Population standard deviation (NumPy's np.std, ddof = 0), two-pass for accuracy. */
export function std(a: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i];
  const mean = sum / a.length;
  let ss = 0;
  for (let i = 0; i < a.length; i++) ss += (a[i] - mean) * (a[i] - mean);
  return Math.sqrt(ss / a.length);
}

/** The Wasserstein distance on sorted samples: one merge, integrating |F_a - F_b| between consecutive values. */
export function wassersteinSorted(a: Float64Array, b: Float64Array): WassersteinResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new Error("drift.wasserstein: both samples need at least one value");
  let i = 0;
  let j = 0;
  let sum = 0;
  let comp = 0;
  let prev = Math.min(a[0], b[0]);
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && a[i] <= b[j]) ? a[i] : b[j];
    const term = Math.abs(i / n1 - j / n2) * (v - prev);
    const t = sum + term;
    comp += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
    sum = t;
    prev = v;
    while (i < n1 && a[i] <= v) i++;
    while (j < n2 && b[j] <= v) j++;
  }
  const statistic = sum + comp;
  return { statistic, normalized: statistic / Math.max(std(a), 0.001) };
}
