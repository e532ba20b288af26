// features.interactions: pairwise products of chosen numeric columns, named `a_x_b`.
import type { ColumnTable } from "arquero";
import { product } from "./products.js";

/** Add the product of every pair of `columns` (i < j), in pair order. */
export function interactions(table: ColumnTable, columns: string[], options: { separator?: string } = {}): ColumnTable {
  if (columns.length < 2) throw new Error("features.interactions: needs at least two columns");
  const sep = options.separator ?? "_x_";
  const out: Record<string, Float64Array> = {};
  for (let i = 0; i < columns.length; i++) {
    for (let j = i + 1; j < columns.length; j++) out[`${columns[i]}${sep}${columns[j]}`] = product(table, columns[i], columns[j], "features.interactions");
  }
  return table.assign(out as unknown as Record<string, number[]>) as ColumnTable;
}
