// prep.oneHotEncoder: one 0/1 column per category (`col_cat`), like scikit-learn's OneHotEncoder.
import type { ColumnTable } from "arquero";
import { Fitted, registerReviver } from "./base.js";
import { categoriesOf, categoryColumn, indexOf } from "./categories.js";
import { chooseColumns } from "./columns-util.js";

export interface OneHotEncoderOptions { columns?: string[]; handleUnknown?: "error" | "ignore" }
type State = { columns: string[]; categories: unknown[][] };

/** Replaces each categorical column by its indicator columns, in place; unknown categories error or encode as all zeros. */
export class OneHotEncoder extends Fitted<State> {
  readonly type = "OneHotEncoder";
  constructor(options: OneHotEncoderOptions = {}) { super({ ...options }); }

  protected learn(table: ColumnTable): State {
    const columns = chooseColumns(table, this.options.columns, "categorical", "OneHotEncoder.fit");
    return { columns, categories: columns.map((c) => categoriesOf(table, c, "OneHotEncoder.fit")) };
  }

  /** Output column names in order (scikit-learn's get_feature_names_out). */
  featureNames(): string[] {
    const s = this.state;
    if (!s) throw new Error("OneHotEncoder.featureNames: not fitted");
    return s.columns.flatMap((c, j) => s.categories[j].map((cat) => categoryColumn(c, cat)));
  }

  protected apply(table: ColumnTable, s: State): ColumnTable {
    const out: Record<string, Float64Array> = {};
    const replace = new Map<string, string[]>();
    const n = table.numRows();
    s.columns.forEach((c, j) => {
      if (!table.column(c)) throw new Error(`OneHotEncoder.transform: no column "${c}"`);
      const cats = s.categories[j];
      const lookup = indexOf(cats);
      const cols = cats.map(() => new Float64Array(n));
      const vals = table.array(c) as ArrayLike<unknown>;
      for (let i = 0; i < n; i++) {
        const k = lookup(vals[i]);
        if (k === undefined) {
          if (this.options.handleUnknown === "ignore") continue;
          throw new Error(`OneHotEncoder.transform: unknown category ${JSON.stringify(vals[i])} in column "${c}" row ${i} (known: ${cats.map(String).join(", ")}); use handleUnknown: "ignore"`);
        }
        cols[k][i] = 1;
      }
      const names = cats.map((cat) => categoryColumn(c, cat));
      names.forEach((name, k) => (out[name] = cols[k]));
      replace.set(c, names);
    });
    const order = table.columnNames().flatMap((c) => replace.get(c) ?? [c]);
    return table.assign(out as unknown as Record<string, number[]>).select(order) as ColumnTable;
  }
}

/** A new OneHotEncoder (default: all non-numeric columns, unknown categories raise). */
export function oneHotEncoder(options?: OneHotEncoderOptions): OneHotEncoder { return new OneHotEncoder(options); }
registerReviver("OneHotEncoder", (j) => new OneHotEncoder(j.options as OneHotEncoderOptions).restore(j.state));
