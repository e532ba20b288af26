// prep.standardScaler: centre to mean 0 and scale to unit (population) variance, like scikit-learn's StandardScaler.
import type { ColumnTable } from "arquero";
import { Fitted, registerReviver } from "./base.js";
import { chooseColumns, nanMean, numericColumn, present, withColumns } from "./columns-util.js";

export interface StandardScalerOptions { columns?: string[]; withMean?: boolean; withStd?: boolean }
type State = { columns: string[]; mean: number[]; scale: number[] };

/**
 * scikit-learn's _is_constant_feature: a variance within the error bound of the two-pass algorithm
 * (Chan, Golub and LeVeque) is indistinguishable from 0, and such a column gets scale 1.
 */
export function isConstantFeature(variance: number, mean: number, n: number): boolean {
  const bound = n * Number.EPSILON * variance + (n * mean * Number.EPSILON) ** 2;
  return variance <= bound;
}

/** Standardise numeric columns; missing values are ignored in fit and stay missing. */
export class StandardScaler extends Fitted<State> {
  readonly type = "StandardScaler";
  constructor(options: StandardScalerOptions = {}) { super({ ...options }); }

  protected learn(table: ColumnTable): State {
    const columns = chooseColumns(table, this.options.columns, "numeric", "StandardScaler.fit");
    const mean: number[] = [], scale: number[] = [];
    for (const c of columns) {
      const x = present(numericColumn(table, c, "StandardScaler.fit"));
      const m = nanMean(x);
      let ss = 0, corr = 0;
      for (let i = 0; i < x.length; i++) { const d = x[i] - m; ss += d * d; corr += d; }
      const variance = (ss - (corr * corr) / x.length) / x.length;
      mean.push(m);
      scale.push(isConstantFeature(variance, m, x.length) ? 1 : Math.sqrt(variance));
    }
    return { columns, mean, scale };
  }

  protected apply(table: ColumnTable, s: State): ColumnTable {
    const withMean = this.options.withMean !== false, withStd = this.options.withStd !== false;
    const out: Record<string, Float64Array> = {};
    s.columns.forEach((c, j) => {
      const x = numericColumn(table, c, "StandardScaler.transform");
      for (let i = 0; i < x.length; i++) {
        let v = x[i];
        if (withMean) v -= s.mean[j];
        if (withStd) v /= s.scale[j];
        x[i] = v;
      }
      out[c] = x;
    });
    return withColumns(table, out);
  }
}

/** A new StandardScaler (fit it on the train partition). */
export function standardScaler(options?: StandardScalerOptions): StandardScaler { return new StandardScaler(options); }
registerReviver("StandardScaler", (j) => new StandardScaler(j.options as StandardScalerOptions).restore(j.state));
