// split.kFold: k contiguous (optionally shuffled) folds, sized like scikit-learn's KFold.
import type { ColumnTable } from "arquero";
import { checkK, foldsFrom, type Fold } from "./folds.js";
import { permutation, rng } from "./random.js";

export interface KFoldOptions { k?: number; shuffle?: boolean; seed?: number }

/**
 * K-fold cross-validation partitions: the first n % k folds get one extra row, as in
 * scikit-learn. Each fold's `test` is tagged "fold-k" and its `train` "fold-k-train".
 */
export function kFold(table: ColumnTable, options: KFoldOptions = {}): Fold[] {
  const k = options.k ?? 5;
  const n = table.numRows();
  checkK(k, n, "kFold");
  const order = options.shuffle ? permutation(n, rng(options.seed)) : Uint32Array.from({ length: n }, (_, i) => i);
  const assign = new Int32Array(n);
  let at = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
    for (let j = 0; j < size; j++) assign[order[at++]] = f;
  }
  return foldsFrom(table, assign, k, "kFold");
}
