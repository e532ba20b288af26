// Category discovery shared by the encoders: sorted like numpy's unique, missing values last.
import type { ColumnTable } from "arquero";
import { isMissing } from "./columns-util.js";
import { compareCodePoints } from "../codePoints.js";

/** Sorted distinct values of a column (numbers numerically, strings by code point like numpy), null last. */
export function categoriesOf(table: ColumnTable, name: string, who: string): unknown[] {
  if (!table.column(name)) throw new Error(`${who}: no column "${name}" (columns: ${table.columnNames().join(", ")})`);
  const seen = new Set<unknown>();
  let missing = false;
  const vals = table.array(name) as ArrayLike<unknown>;
  for (let i = 0; i < vals.length; i++) {
    const v = vals[i];
    if (isMissing(v)) missing = true;
    else seen.add(v);
  }
  const cats = [...seen].sort((a, b) => (typeof a === "number" && typeof b === "number" ? a - b : compareCodePoints(String(a), String(b))));
  if (missing) cats.push(null);
  return cats;
}

/** Lookup from value to category index; missing values all map to the null category. */
export function indexOf(categories: unknown[]): (v: unknown) => number | undefined {
  const m = new Map<unknown, number>();
  categories.forEach((c, i) => m.set(c, i));
  return (v) => m.get(isMissing(v) ? null : v);
}

/** The output column of one category: `${column}_${category}`, the missing category as `nan` (scikit-learn's get_feature_names_out). */
export function categoryColumn(column: string, category: unknown): string {
  return `${column}_${category === null ? "nan" : String(category)}`;
}
