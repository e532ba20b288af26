// Jensen-Shannon distance between the binned distributions of two samples (Evidently's jensenshannon_stat_test).

import { binnedShares, type Bins } from "./binned.js";
import { kindOf } from "./kind.js";
import type { CategoricalInput } from "./values.js";

export interface JensenShannonOptions {
  /** Numeric binning (default "sturges", as Evidently). */
  bins?: Bins;
  /** Treat values as numeric or categorical (default: numeric when every value is a number). */
  kind?: "num" | "cat";
}

export interface DistanceResult {
  statistic: number;
}

/** scipy.spatial.distance.jensenshannon(p, q) (natural log) of two share vectors. */
export function jensenShannonShares(p: Float64Array, q: Float64Array): number {
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    sp += p[i];
    sq += q[i];
  }
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] / sp;
    const qi = q[i] / sq;
    const m = (pi + qi) / 2;
    if (pi > 0) js += pi * Math.log(pi / m);
    if (qi > 0) js += qi * Math.log(qi / m);
  }
  return Math.sqrt(Math.max(js, 0) / 2);
}

/** Jensen-Shannon distance (0..1 in natural-log units up to sqrt(ln 2)) between reference and current. */
export function jensenShannon(reference: CategoricalInput, current: CategoricalInput, opts: JensenShannonOptions = {}): DistanceResult {
  const kind = opts.kind ?? kindOf(reference, current);
  const { reference: p, current: q } = binnedShares(reference, current, kind, opts.bins ?? "sturges", false);
  return { statistic: jensenShannonShares(p, q) };
}
