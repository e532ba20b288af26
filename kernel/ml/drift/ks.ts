// Two-sample Kolmogorov-Smirnov test, matching scipy.stats.ks_2samp (two-sided, method "auto").

import { kolmogorovSf } from "./kolmogorov.js";
import { roundHalfEven } from "./special.js";
import { sortedNumbers, type NumericInput } from "./values.js";

/** SciPy switches from the exact distribution to the asymptotic one above this sample size. */
const MAX_EXACT_N = 10000;

export interface KsResult {
  /** The largest distance between the two empirical CDFs. */
  statistic: number;
  pValue: number;
  /** Which distribution gave the p-value (as ks_2samp's "auto" picks it). */
  method: "exact" | "asymp";
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** The largest signed gaps between the ECDFs of two sorted samples, in one merge pass. */
export function ecdfGaps(a: Float64Array, b: Float64Array): { maxS: number; minS: number } {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let maxS = -Infinity;
  let minS = Infinity;
  while (i < n1 || j < n2) {
    // Advance past every copy of the next smallest value in both samples, as searchsorted(side="right").
    const v = j >= n2 || (i < n1 && a[i] <= b[j]) ? a[i] : b[j];
    while (i < n1 && a[i] <= v) i++;
    while (j < n2 && b[j] <= v) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxS) maxS = diff;
    if (diff < minS) minS = diff;
  }
  return { maxS, minS: Math.min(1, Math.max(0, -minS)) };
}

/** Pr(D >= h/lcm) for n1 == n2 (SciPy's _compute_prob_outside_square). */
function probOutsideSquare(n: number, h: number): number {
  let P = 0;
  let k = Math.floor(n / h);
  while (k >= 0) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1 - P);
    k--;
  }
  return 2 * P;
}

/** 1 - (share of lattice paths staying strictly inside the band), Viehmann's stable recursion. */
function outerProbInside(m0: number, n0: number, g: number, h: number): number {
  const [m, n] = m0 < n0 ? [n0, m0] : [m0, n0];
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  for (let x = minj; x < maxj; x++) A[x] = 0;
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj] * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return A[maxj - minj - 1];
}

/**
 * Two-sample Kolmogorov-Smirnov test (two-sided). NaN and null values are dropped.
 * Equals scipy.stats.ks_2samp(a, b): exact p-value while both samples have at most
 * 10,000 values, else the asymptotic kstwo distribution at round(n1*n2/(n1+n2)).
 */
export function ks(a: NumericInput, b: NumericInput): KsResult {
  return ksSorted(sortedNumbers(a), sortedNumbers(b));
}

/** The KS test on samples that are already sorted ascending and free of NaN. */
export function ksSorted(a: Float64Array, b: Float64Array): KsResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new Error("drift.ks: both samples need at least one value");
  const { maxS, minS } = ecdfGaps(a, b);
  let d = minS > maxS ? minS : maxS;
  if (Math.max(n1, n2) <= MAX_EXACT_N) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = roundHalfEven(d * lcm);
    d = h / lcm;
    if (h === 0) return { statistic: d, pValue: 1, method: "exact" };
    const p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
    if (Number.isFinite(p) && p >= 0 && p <= 1) return { statistic: d, pValue: p, method: "exact" };
  }
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const en = (m * n) / (m + n);
  const p = kolmogorovSf(roundHalfEven(en), d);
  return { statistic: d, pValue: Math.min(1, Math.max(0, p)), method: "asymp" };
}
