// Population Stability Index between two samples (Evidently's psi_stat_test).

import { binnedShares, type Bins } from "./binned.js";
import { kindOf } from "./kind.js";
import type { DistanceResult } from "./jensenShannon.js";
import type { CategoricalInput } from "./values.js";

export interface PsiOptions {
  /** Numeric binning (default "sturges", as Evidently); a number gives that many equal-width bins. */
  bins?: Bins;
  kind?: "num" | "cat";
}

/** PSI of two share vectors whose zero shares were already filled. */
export function psiShares(ref: Float64Array, cur: Float64Array): number {
  let s = 0;
  for (let i = 0; i < ref.length; i++) s += (ref[i] - cur[i]) * Math.log(ref[i] / cur[i]);
  return s;
}

/** PSI = Σ (ref% - cur%) * ln(ref% / cur%) over bins; 0.1 and above is usually read as drift. */
export function psi(reference: CategoricalInput, current: CategoricalInput, opts: PsiOptions = {}): DistanceResult {
  const kind = opts.kind ?? kindOf(reference, current);
  const { reference: p, current: q } = binnedShares(reference, current, kind, opts.bins ?? "sturges", true);
  return { statistic: psiShares(p, q) };
}
