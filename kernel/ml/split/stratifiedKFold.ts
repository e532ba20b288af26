// split.stratifiedKFold: k folds that keep each class's share of a label column.
import type { ColumnTable } from "arquero";
import { columnValues } from "./partition.js";
import { checkK, foldsFrom, type Fold } from "./folds.js";
import { byClass, permutation, rng } from "./random.js";

export interface StratifiedKFoldOptions { k?: number; shuffle?: boolean; seed?: number }

/**
 * Stratified k folds on column `label`: each class's rows are dealt round-robin over the folds
 * (continuing where the previous class stopped, so fold sizes differ by at most one).
 */
export function stratifiedKFold(table: ColumnTable, label: string, options: StratifiedKFoldOptions = {}): Fold[] {
  const k = options.k ?? 5;
  const n = table.numRows();
  checkK(k, n, "stratifiedKFold");
  const groups = byClass(columnValues(table, label, "stratifiedKFold"));
  const random = options.shuffle ? rng(options.seed) : undefined;
  const assign = new Int32Array(n);
  let next = 0;
  for (const rows of groups.values()) {
    const order = random ? permutation(rows.length, random) : Uint32Array.from({ length: rows.length }, (_, i) => i);
    for (let j = 0; j < rows.length; j++) { assign[rows[order[j]]] = next; next = (next + 1) % k; }
  }
  return foldsFrom(table, assign, k, "stratifiedKFold");
}
