// prep.simpleImputer: fill missing values with a statistic of the train rows, like scikit-learn's SimpleImputer.
import type { ColumnTable } from "arquero";
import { Fitted, registerReviver } from "./base.js";
import { chooseColumns, isMissing, nanMean, numericColumn, present, withColumns } from "./columns-util.js";

export type ImputeStrategy = "mean" | "median" | "most_frequent" | "constant";
export interface SimpleImputerOptions { strategy?: ImputeStrategy; fillValue?: unknown; columns?: string[] }
type State = { columns: string[]; statistics: unknown[] };

/** numpy's median (mean of the two middle values for an even count). */
function median(x: Float64Array): number {
  const v = present(x).slice().sort();
  const n = v.length;
  if (n === 0) return NaN;
  return n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/** Most frequent non-missing value; ties go to the smallest value, as in scikit-learn. */
function mostFrequent(values: ArrayLike<unknown>): unknown {
  const counts = new Map<unknown, number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!isMissing(v)) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  let best: unknown = null, bestCount = 0;
  for (const [v, c] of counts) {
    if (c > bestCount || (c === bestCount && (v as number) < (best as number))) { best = v; bestCount = c; }
  }
  return best;
}

/**
 * Fills null/undefined/NaN; mean and median need numeric columns, most_frequent and constant take any.
 * Columns with no value in the fit rows are dropped by transform, except with strategy "constant".
 */
export class SimpleImputer extends Fitted<State> {
  readonly type = "SimpleImputer";
  constructor(options: SimpleImputerOptions = {}) {
    super({ ...options });
    const s = options.strategy ?? "mean";
    if (!["mean", "median", "most_frequent", "constant"].includes(s)) throw new Error(`SimpleImputer: unknown strategy "${s}" (mean, median, most_frequent, constant)`);
  }

  protected learn(table: ColumnTable): State {
    const strategy = (this.options.strategy as ImputeStrategy | undefined) ?? "mean";
    const numeric = strategy === "mean" || strategy === "median";
    const columns = chooseColumns(table, this.options.columns, numeric ? "numeric" : "any", "SimpleImputer.fit");
    const statistics = columns.map((c) => {
      if (strategy === "mean") return nanMean(numericColumn(table, c, "SimpleImputer.fit"));
      if (strategy === "median") return median(numericColumn(table, c, "SimpleImputer.fit"));
      if (strategy === "most_frequent") return mostFrequent(table.array(c) as ArrayLike<unknown>);
      if (this.options.fillValue !== undefined) return this.options.fillValue;
      // scikit-learn's defaults: 0 for numbers, "missing_value" for strings
      const vals = table.array(c) as ArrayLike<unknown>;
      for (let i = 0; i < vals.length; i++) if (!isMissing(vals[i])) return typeof vals[i] === "number" ? 0 : "missing_value";
      return 0;
    });
    return { columns, statistics };
  }

  protected apply(table: ColumnTable, s: State): ColumnTable {
    const out: Record<string, ArrayLike<unknown>> = {};
    const dropped: string[] = [];
    s.columns.forEach((c, j) => {
      if (!table.column(c)) throw new Error(`SimpleImputer.transform: no column "${c}"`);
      const fill = s.statistics[j];
      // a column with no value in the fit rows has no statistic: scikit-learn 1.2 drops it (keep_empty_features=False)
      if (isMissing(fill)) { dropped.push(c); return; }
      const vals = table.array(c) as ArrayLike<unknown>;
      if (typeof fill === "number") {
        const x = Float64Array.from(vals as ArrayLike<number>, (v) => (isMissing(v) ? fill : (v as number)));
        out[c] = x;
      } else {
        out[c] = Array.from(vals, (v) => (isMissing(v) ? fill : v));
      }
    });
    const filled = withColumns(table, out);
    return dropped.length ? filled.select(filled.columnNames().filter((c) => !dropped.includes(c))) as ColumnTable : filled;
  }
}

/** A new SimpleImputer (default strategy "mean"). */
export function simpleImputer(options?: SimpleImputerOptions): SimpleImputer { return new SimpleImputer(options); }
registerReviver("SimpleImputer", (j) => new SimpleImputer(j.options as SimpleImputerOptions).restore(j.state));
