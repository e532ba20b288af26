// Turns fold assignments into { train, test } partitions with fold lineage (kFold, stratifiedKFold).
import type { ColumnTable } from "arquero";
import { lineageOf, nextSplitId } from "../lineage.js";
import { sealSplit } from "../lineageSummary.js";
import { partition, sourceName } from "./partition.js";

/** One cross-validation fold: `test` is held-out fold k ("fold-k"), `train` the other folds. */
export interface Fold { fold: number; train: ColumnTable; test: ColumnTable }

/** Build the k folds from each row's fold number (rows keep their table order inside a fold). */
export function foldsFrom(table: ColumnTable, assign: Int32Array, k: number, method: "kFold" | "stratifiedKFold"): Fold[] {
  const split = nextSplitId();
  const of = sourceName(table);
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const trainPos: number[] = [];
    const testPos: number[] = [];
    for (let i = 0; i < assign.length; i++) (assign[i] === f ? testPos : trainPos).push(i);
    const base = { split, method, fold: f, of };
    folds.push({
      fold: f,
      train: partition(table, trainPos, { ...base, name: `fold-${f}-train`, role: "train" }),
      test: partition(table, testPos, { ...base, name: `fold-${f}`, role: "test" }),
    });
  }
  sealSplit(split, method, folds.map((f) => lineageOf(f.test)!));
  return folds;
}

/** Validate k against the row count, with a message naming the verb. */
export function checkK(k: number, n: number, verb: string): void {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`${verb}: k must be an integer >= 2, got ${k}`);
  if (k > n) throw new RangeError(`${verb}: k=${k} is larger than the ${n} rows`);
}
