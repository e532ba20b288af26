// split.stratifiedKFold: k folds that keep each class's share of a label column (scikit-learn's allocation).
import type { ColumnTable } from "arquero";
import { columnValues } from "./partition.js";
import { checkK, foldsFrom, type Fold } from "./folds.js";
import { byClass, permutation, rng } from "./random.js";

export interface StratifiedKFoldOptions { k?: number; shuffle?: boolean; seed?: number }

/**
 * Stratified k folds on column `label`, as scikit-learn's StratifiedKFold: the rows sorted by class
 * (classes in order of first appearance) are dealt to folds round robin to count how many rows of
 * each class each fold gets; each class's rows then fill fold 0, 1, ... in contiguous blocks (table
 * order, or a seeded shuffle with `shuffle`). More folds than every class has rows is an error.
 */
export function stratifiedKFold(table: ColumnTable, label: string, options: StratifiedKFoldOptions = {}): Fold[] {
  const k = options.k ?? 5;
  const n = table.numRows();
  checkK(k, n, "stratifiedKFold");
  const groups = [...byClass(columnValues(table, label, "stratifiedKFold")).values()];
  if (groups.every((g) => g.length < k)) {
    throw new RangeError(`stratifiedKFold: k=${k} is larger than the number of rows of every class of "${label}" (largest: ${Math.max(...groups.map((g) => g.length))})`);
  }
  const random = options.shuffle ? rng(options.seed) : undefined;
  const assign = new Int32Array(n);
  let start = 0; // position of this class's first row in the class-sorted order
  for (const rows of groups) {
    // fold f gets the sorted positions p in [start, start + size) with p % k === f
    const folds: number[] = [];
    for (let f = 0; f < k; f++) {
      const first = start + ((f - (start % k) + k) % k);
      const count = first < start + rows.length ? Math.floor((start + rows.length - 1 - first) / k) + 1 : 0;
      for (let c = 0; c < count; c++) folds.push(f);
    }
    const order = random ? permutation(folds.length, random) : undefined;
    for (let j = 0; j < rows.length; j++) assign[rows[j]] = folds[order ? order[j] : j];
    start += rows.length;
  }
  return foldsFrom(table, assign, k, "stratifiedKFold");
}
