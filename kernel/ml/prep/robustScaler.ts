// prep.robustScaler: centre on the median and scale by the interquartile range, like scikit-learn's RobustScaler.
import type { ColumnTable } from "arquero";
import { Fitted, registerReviver } from "./base.js";
import { chooseColumns, numericColumn, percentile, sortedFinite, withColumns } from "./columns-util.js";

export interface RobustScalerOptions { columns?: string[]; quantileRange?: [number, number]; withCentering?: boolean; withScaling?: boolean }
type State = { columns: string[]; center: number[]; scale: number[] };

/** Outlier-robust scaling; missing values are ignored in fit and stay missing. */
export class RobustScaler extends Fitted<State> {
  readonly type = "RobustScaler";
  constructor(options: RobustScalerOptions = {}) { super({ ...options }); }

  protected learn(table: ColumnTable): State {
    const [q1, q3] = (this.options.quantileRange as [number, number] | undefined) ?? [25, 75];
    const columns = chooseColumns(table, this.options.columns, "numeric", "RobustScaler.fit");
    const center: number[] = [], scale: number[] = [];
    for (const c of columns) {
      const v = sortedFinite(numericColumn(table, c, "RobustScaler.fit"));
      center.push(percentile(v, 50));
      const iqr = percentile(v, q3) - percentile(v, q1);
      scale.push(iqr < 10 * Number.EPSILON ? 1 : iqr);
    }
    return { columns, center, scale };
  }

  protected apply(table: ColumnTable, s: State): ColumnTable {
    const out: Record<string, Float64Array> = {};
    s.columns.forEach((c, j) => {
      const x = numericColumn(table, c, "RobustScaler.transform");
      for (let i = 0; i < x.length; i++) {
        let v = x[i];
        if (this.options.withCentering !== false) v -= s.center[j];
        if (this.options.withScaling !== false) v /= s.scale[j];
        x[i] = v;
      }
      out[c] = x;
    });
    return withColumns(table, out);
  }
}

/** A new RobustScaler. */
export function robustScaler(options?: RobustScalerOptions): RobustScaler { return new RobustScaler(options); }
registerReviver("RobustScaler", (j) => new RobustScaler(j.options as RobustScalerOptions).restore(j.state));
