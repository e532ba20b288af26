// prep.minMaxScaler: scale each numeric column to a range (default [0, 1]), like scikit-learn's MinMaxScaler.
import type { ColumnTable } from "arquero";
import { Fitted, registerReviver } from "./base.js";
import { chooseColumns, numericColumn, withColumns } from "./columns-util.js";

export interface MinMaxScalerOptions { columns?: string[]; featureRange?: [number, number]; clip?: boolean }
type State = { columns: string[]; dataMin: number[]; dataMax: number[]; scale: number[]; min: number[] };

/** Min-max scaling computed as x * scale + min (scikit-learn's formula, so results agree bit for bit). */
export class MinMaxScaler extends Fitted<State> {
  readonly type = "MinMaxScaler";
  constructor(options: MinMaxScalerOptions = {}) { super({ ...options }); }

  protected learn(table: ColumnTable): State {
    const [lo, hi] = (this.options.featureRange as [number, number] | undefined) ?? [0, 1];
    if (!(lo < hi)) throw new RangeError(`MinMaxScaler: featureRange must be [min, max] with min < max, got [${lo}, ${hi}]`);
    const columns = chooseColumns(table, this.options.columns, "numeric", "MinMaxScaler.fit");
    const st: State = { columns, dataMin: [], dataMax: [], scale: [], min: [] };
    for (const c of columns) {
      const x = numericColumn(table, c, "MinMaxScaler.fit");
      let mn = Infinity, mx = -Infinity;
      for (const v of x) if (!Number.isNaN(v)) { if (v < mn) mn = v; if (v > mx) mx = v; }
      const range = mx - mn;
      const scale = (hi - lo) / (range < 10 * Number.EPSILON ? 1 : range);
      st.dataMin.push(mn); st.dataMax.push(mx); st.scale.push(scale); st.min.push(lo - mn * scale);
    }
    return st;
  }

  protected apply(table: ColumnTable, s: State): ColumnTable {
    const [lo, hi] = (this.options.featureRange as [number, number] | undefined) ?? [0, 1];
    const out: Record<string, Float64Array> = {};
    s.columns.forEach((c, j) => {
      const x = numericColumn(table, c, "MinMaxScaler.transform");
      for (let i = 0; i < x.length; i++) {
        let v = x[i] * s.scale[j] + s.min[j];
        if (this.options.clip) v = Math.min(hi, Math.max(lo, v));
        x[i] = v;
      }
      out[c] = x;
    });
    return withColumns(table, out);
  }
}

/** A new MinMaxScaler. */
export function minMaxScaler(options?: MinMaxScalerOptions): MinMaxScaler { return new MinMaxScaler(options); }
registerReviver("MinMaxScaler", (j) => new MinMaxScaler(j.options as MinMaxScalerOptions).restore(j.state));
