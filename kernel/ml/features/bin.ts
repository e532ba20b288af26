// features.bin: equal-width or quantile binning fitted on the train rows, like scikit-learn's KBinsDiscretizer (ordinal).
import type { ColumnTable } from "arquero";
import { Fitted, registerReviver } from "../prep/base.js";
import { chooseColumns, numericColumn, percentile, sortedFinite } from "../prep/columns-util.js";

export interface BinOptions { columns?: string[]; bins?: number; strategy?: "uniform" | "quantile"; suffix?: string }
type State = { columns: string[]; edges: number[][] };

/** numpy's linspace (last point exactly `stop`). */
function linspace(start: number, stop: number, num: number): number[] {
  const step = (stop - start) / (num - 1);
  return Array.from({ length: num }, (_, i) => (i === num - 1 ? stop : i * step + start));
}

/**
 * Replaces each column by its bin index 0..bins-1 (or adds `col${suffix}` when a suffix is
 * given). Edges come from the fit rows; values outside them fall in the first or last bin; a
 * value on an edge lands in the upper bin. Missing values stay missing (scikit-learn raises).
 */
export class BinDiscretizer extends Fitted<State> {
  readonly type = "BinDiscretizer";
  constructor(options: BinOptions = {}) { super({ ...options }); }

  protected learn(table: ColumnTable): State {
    const n = (this.options.bins as number | undefined) ?? 5;
    if (!Number.isInteger(n) || n < 2) throw new RangeError(`features.bin: bins must be an integer >= 2, got ${n}`);
    const columns = chooseColumns(table, this.options.columns, "numeric", "features.bin.fit");
    const edges = columns.map((c) => {
      const v = sortedFinite(numericColumn(table, c, "features.bin.fit"));
      if (!v.length) throw new Error(`features.bin.fit: column "${c}" has no values`);
      // a constant column is one bin (everything maps to 0), as scikit-learn; [c, c] instead of its [-inf, inf] stays JSON
      if (v[0] === v[v.length - 1]) return [v[0], v[0]];
      if (this.options.strategy === "quantile") {
        const e = linspace(0, 100, n + 1).map((q) => percentile(v, q));
        // like scikit-learn, drop bins narrower than 1e-8 (repeated quantiles)
        return e.filter((x, i) => i === 0 || x - e[i - 1] > 1e-8);
      }
      return linspace(v[0], v[v.length - 1], n + 1);
    });
    return { columns, edges };
  }

  protected apply(table: ColumnTable, s: State): ColumnTable {
    const out: Record<string, Float64Array> = {};
    s.columns.forEach((c, j) => {
      const x = numericColumn(table, c, "features.bin.transform");
      // numpy's searchsorted(edges[1:-1], x, side="right"): the number of inner edges <= x (no tolerance, as sklearn >= 1.1)
      const inner = s.edges[j].slice(1, -1);
      for (let i = 0; i < x.length; i++) {
        if (Number.isNaN(x[i])) continue;
        let k = 0;
        while (k < inner.length && inner[k] <= x[i]) k++;
        x[i] = k;
      }
      out[c + ((this.options.suffix as string | undefined) ?? "")] = x;
    });
    return table.assign(out as unknown as Record<string, number[]>) as ColumnTable;
  }
}

/** A new bin transformer: `features.bin({ columns, bins: 4, strategy: "quantile" }).fit(train)`. */
export function bin(options?: BinOptions): BinDiscretizer { return new BinDiscretizer(options); }
registerReviver("BinDiscretizer", (j) => new BinDiscretizer(j.options as BinOptions).restore(j.state));
