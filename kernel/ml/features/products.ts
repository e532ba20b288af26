// Column products shared by interactions and polynomial features (missing values propagate as NaN).
import type { ColumnTable } from "arquero";
import { numericColumn } from "../prep/columns-util.js";

/** Element-wise product of two numeric columns. */
export function product(table: ColumnTable, a: string, b: string, who: string): Float64Array {
  const x = numericColumn(table, a, who), y = a === b ? x : numericColumn(table, b, who);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] * y[i];
  return out;
}
