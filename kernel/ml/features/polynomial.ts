// features.polynomial: degree-2 polynomial features, named and ordered like scikit-learn's PolynomialFeatures.
import type { ColumnTable } from "arquero";
import { product } from "./products.js";

/**
 * Add squares and pairwise products of `columns` ("a^2", "a b", "b^2", in scikit-learn's
 * order); with `interactionOnly` only the products. The original columns stay.
 */
export function polynomial(table: ColumnTable, columns: string[], options: { degree?: 2; interactionOnly?: boolean } = {}): ColumnTable {
  if ((options.degree ?? 2) !== 2) throw new Error(`features.polynomial: only degree 2 is supported, got ${options.degree}`);
  const out: Record<string, Float64Array> = {};
  for (let i = 0; i < columns.length; i++) {
    for (let j = i; j < columns.length; j++) {
      if (i === j && options.interactionOnly) continue;
      out[i === j ? `${columns[i]}^2` : `${columns[i]} ${columns[j]}`] = product(table, columns[i], columns[j], "features.polynomial");
    }
  }
  return table.assign(out as unknown as Record<string, number[]>) as ColumnTable;
}
