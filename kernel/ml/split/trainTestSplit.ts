// split.trainTestSplit: one seeded (optionally stratified) train/test split, with partition lineage.
import type { ColumnTable } from "arquero";
import { ensureLineage, nextSplitId, registerSplit, lineageOf } from "../lineage.js";
import { sealSplit } from "../lineageSummary.js";
import { partition, sourceName, columnValues } from "./partition.js";
import { byClass, permutation, rng } from "./random.js";

export interface TrainTestSplitOptions {
  /** Fraction (0..1) or row count of the test set; default 0.25 like scikit-learn. */
  testSize?: number;
  /** Seed for this split; without it the stage's seeded random is used. */
  seed?: number;
  /** Shuffle before splitting (default true); false keeps the last rows for test. */
  shuffle?: boolean;
  /** Column whose class proportions both partitions keep. */
  stratify?: string;
}

function testCount(n: number, testSize: number): number {
  if (testSize <= 0 || (testSize >= 1 && !Number.isInteger(testSize)) || (testSize >= 1 && testSize >= n)) {
    throw new RangeError(`trainTestSplit: testSize must be a fraction in (0, 1) or a row count below ${n}, got ${testSize}`);
  }
  return testSize < 1 ? Math.ceil(testSize * n) : testSize;
}

/**
 * Split a table into `{ train, test }` like scikit-learn's train_test_split (test gets
 * ceil(testSize * n) rows). Both partitions carry lineage (source table and partition name), so
 * fits on `test` or on the unsplit table are reported as leakage.
 */
export function trainTestSplit(table: ColumnTable, options: TrainTestSplitOptions = {}): { train: ColumnTable; test: ColumnTable } {
  const n = table.numRows();
  if (n < 2) throw new RangeError(`trainTestSplit: need at least 2 rows, got ${n}`);
  const nTest = testCount(n, options.testSize ?? 0.25);
  const random = rng(options.seed);
  const shuffle = options.shuffle ?? true;
  let trainPos: number[];
  let testPos: number[];
  if (options.stratify) {
    if (!shuffle) throw new Error("trainTestSplit: stratify needs shuffle (as in scikit-learn)");
    const groups = [...byClass(columnValues(table, options.stratify, "trainTestSplit")).values()];
    // largest-remainder allocation keeps each class's share and the exact test size
    const exact = groups.map((g) => (g.length * nTest) / n);
    const take = exact.map(Math.floor);
    let left = nTest - take.reduce((a, b) => a + b, 0);
    const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    for (const [, i] of order) { if (left <= 0) break; if (take[i] < groups[i].length) { take[i]++; left--; } }
    trainPos = []; testPos = [];
    groups.forEach((g, gi) => {
      const p = permutation(g.length, random);
      for (let j = 0; j < g.length; j++) (j < take[gi] ? testPos : trainPos).push(g[p[j]]);
    });
    const mix = (a: number[]): number[] => { const p = permutation(a.length, random); return Array.from(p, (i) => a[i]); };
    trainPos = mix(trainPos); testPos = mix(testPos);
  } else {
    const p = shuffle ? permutation(n, random) : Uint32Array.from({ length: n }, (_, i) => i);
    testPos = Array.from(p.subarray(0, nTest));
    trainPos = Array.from(p.subarray(nTest));
    if (!shuffle) { testPos = Array.from(p.subarray(n - nTest)); trainPos = Array.from(p.subarray(0, n - nTest)); }
  }
  const split = nextSplitId();
  const of = sourceName(table);
  const base = { split, method: "trainTestSplit" as const, fold: 0, of };
  const train = partition(table, trainPos, { ...base, name: "train", role: "train" });
  const test = partition(table, testPos, { ...base, name: "test", role: "test" });
  registerSplit(split, of, ensureLineage(table), lineageOf(test)!);
  sealSplit(split, "trainTestSplit", [lineageOf(train)!, lineageOf(test)!]);
  return { train, test };
}
