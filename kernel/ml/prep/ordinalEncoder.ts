// prep.ordinalEncoder: category -> its index in the sorted categories, like scikit-learn's OrdinalEncoder.
import type { ColumnTable } from "arquero";
import { Fitted, registerReviver } from "./base.js";
import { categoriesOf, indexOf } from "./categories.js";
import { chooseColumns, isMissing } from "./columns-util.js";

export interface OrdinalEncoderOptions { columns?: string[]; handleUnknown?: "error" | "use_encoded_value"; unknownValue?: number }
type State = { columns: string[]; categories: unknown[][] };

/** Encodes categorical columns in place as 0..k-1 codes; missing values (a category last in `categories`) stay NaN. */
export class OrdinalEncoder extends Fitted<State> {
  readonly type = "OrdinalEncoder";
  constructor(options: OrdinalEncoderOptions = {}) { super({ ...options }); }

  protected learn(table: ColumnTable): State {
    const columns = chooseColumns(table, this.options.columns, "categorical", "OrdinalEncoder.fit");
    return { columns, categories: columns.map((c) => categoriesOf(table, c, "OrdinalEncoder.fit")) };
  }

  protected apply(table: ColumnTable, s: State): ColumnTable {
    const out: Record<string, Float64Array> = {};
    const unknown = (this.options.unknownValue as number | undefined) ?? NaN;
    s.columns.forEach((c, j) => {
      if (!table.column(c)) throw new Error(`OrdinalEncoder.transform: no column "${c}"`);
      const lookup = indexOf(s.categories[j]);
      const vals = table.array(c) as ArrayLike<unknown>;
      out[c] = Float64Array.from({ length: vals.length }, (_, i) => {
        const k = lookup(vals[i]);
        // a missing value seen in fit is coded NaN (scikit-learn's encoded_missing_value), not its category's index
        if (k !== undefined) return isMissing(vals[i]) ? NaN : k;
        if (this.options.handleUnknown === "use_encoded_value") return unknown;
        throw new Error(`OrdinalEncoder.transform: unknown category ${JSON.stringify(vals[i])} in column "${c}" row ${i}; use handleUnknown: "use_encoded_value"`);
      });
    });
    return table.assign(out as unknown as Record<string, number[]>) as ColumnTable;
  }
}

/** A new OrdinalEncoder. */
export function ordinalEncoder(options?: OrdinalEncoderOptions): OrdinalEncoder { return new OrdinalEncoder(options); }
registerReviver("OrdinalEncoder", (j) => new OrdinalEncoder(j.options as OrdinalEncoderOptions).restore(j.state));
