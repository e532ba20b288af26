// Shared binning for PSI and Jensen-Shannon: NumPy's histogram edges on sorted data, and Evidently's get_binned_data.

import { alignedCounts, alignedNumericCounts, distinctOne, sortedNumbers, type CategoricalInput } from "./values.js";

/** How to bin numeric data: a number of equal-width bins, or NumPy's "sturges" rule (Evidently's choice). */
export type Bins = number | "sturges";

/** NumPy's histogram_bin_edges over the union of two sorted samples (equal-width edges, as np.linspace builds them). */
export function binEdges(a: Float64Array, b: Float64Array, bins: Bins): Float64Array {
  const lo = Math.min(a.length ? a[0] : Infinity, b.length ? b[0] : Infinity);
  const hi = Math.max(a.length ? a[a.length - 1] : -Infinity, b.length ? b[b.length - 1] : -Infinity);
  let first = lo;
  let last = hi;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  let n: number;
  if (bins === "sturges") {
    const width = (hi - lo) / (Math.log2(a.length + b.length) + 1);
    n = width ? Math.ceil((last - first) / width) : 1;
  } else {
    if (!Number.isInteger(bins) || bins < 1) throw new Error(`drift: bins must be a positive integer or "sturges", got ${bins}`);
    n = bins;
  }
  const edges = new Float64Array(n + 1);
  const step = (last - first) / n;
  for (let i = 0; i < n; i++) edges[i] = i * step + first;
  edges[n] = last;
  return edges;
}

function lowerBound(a: Float64Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(a: Float64Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** np.histogram(sorted, edges)[0]: half-open bins, the last one closed. */
export function histogramSorted(sorted: Float64Array, edges: Float64Array): Float64Array {
  const n = edges.length - 1;
  const counts = new Float64Array(n);
  let prev = lowerBound(sorted, edges[0]);
  for (let i = 1; i <= n; i++) {
    const cum = i === n ? upperBound(sorted, edges[n]) : lowerBound(sorted, edges[i]);
    counts[i - 1] = cum - prev;
    prev = cum;
  }
  return counts;
}

export interface Binned {
  /** Bin labels: category values, or [lo, hi] edges for numeric bins. */
  keys: unknown[];
  reference: Float64Array;
  current: Float64Array;
  edges?: Float64Array;
}

/** Replace zero shares as Evidently does, so that logs in PSI stay finite. */
export function fillZeroes(p: Float64Array): void {
  let min = Infinity;
  for (const v of p) if (v !== 0 && v < min) min = v;
  const fill = min <= 0.0001 ? min / 10 ** 6 : 0.0001;
  for (let i = 0; i < p.length; i++) if (p[i] === 0) p[i] = fill;
}

/**
 * Evidently's get_binned_data: shares per bin of reference and current. Numeric columns with
 * more than 20 distinct reference values are cut into histogram bins; others are counted per value.
 */
export function binnedShares(
  reference: CategoricalInput,
  current: CategoricalInput,
  kind: "num" | "cat",
  bins: Bins,
  fill: boolean,
): Binned {
  let out: Binned;
  if (kind === "num") {
    const a = sortedNumbers(reference as ArrayLike<number>);
    const b = sortedNumbers(current as ArrayLike<number>);
    out = binnedSortedShares(a, b, bins);
  } else {
    const { keys, ref, cur, nRef, nCur } = alignedCounts(reference, current);
    for (let i = 0; i < keys.length; i++) {
      ref[i] /= nRef;
      cur[i] /= nCur;
    }
    out = { keys, reference: ref, current: cur };
  }
  if (fill) {
    fillZeroes(out.reference);
    fillZeroes(out.current);
  }
  return out;
}

/** The numeric branch of get_binned_data on already sorted samples (no zero filling). */
export function binnedSortedShares(a: Float64Array, b: Float64Array, bins: Bins): Binned {
  if (distinctOne(a) > 20) {
    const edges = binEdges(a, b, bins);
    const ref = histogramSorted(a, edges);
    const cur = histogramSorted(b, edges);
    for (let i = 0; i < ref.length; i++) {
      ref[i] /= a.length;
      cur[i] /= b.length;
    }
    const keys = Array.from({ length: ref.length }, (_, i) => [edges[i], edges[i + 1]]);
    return { keys, reference: ref, current: cur, edges };
  }
  const { keys, ref, cur } = alignedNumericCounts(a, b);
  for (let i = 0; i < keys.length; i++) {
    ref[i] /= a.length;
    cur[i] /= b.length;
  }
  return { keys, reference: ref, current: cur };
}
