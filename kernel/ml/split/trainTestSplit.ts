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

/** Test and train row counts as scikit-learn's _validate_shuffle_split (train: floor((1 - testSize) * n)). */
function sizes(n: number, testSize: number): { nTest: number; nTrain: number } {
  const fraction = testSize > 0 && testSize < 1;
  if (!fraction && !(Number.isInteger(testSize) && testSize > 0 && testSize < n)) {
    throw new RangeError(`trainTestSplit: testSize must be a fraction in (0, 1) or a row count below ${n}, got ${testSize}`);
  }
  const nTest = fraction ? Math.ceil(testSize * n) : testSize;
  const nTrain = fraction ? Math.floor((1 - testSize) * n) : n - testSize;
  if (nTrain === 0) throw new RangeError(`trainTestSplit: with ${n} rows and testSize ${testSize} the train set would be empty; lower testSize`);
  return { nTest, nTrain };
}

/** scikit-learn's StratifiedShuffleSplit checks: every class needs 2 rows, each partition a row per class. */
function checkStratified(groups: number[][], nTrain: number, nTest: number, column: string): void {
  const smallest = Math.min(...groups.map((g) => g.length));
  if (smallest < 2) throw new RangeError(`trainTestSplit: stratify column "${column}" has a class with only ${smallest} row; each class needs at least 2`);
  for (const [name, size] of [["train", nTrain], ["test", nTest]] as const) {
    if (size < groups.length) throw new RangeError(`trainTestSplit: the ${name} set (${size} rows) is smaller than the ${groups.length} classes of stratify column "${column}"; change testSize`);
  }
}

/**
 * Split a table into `{ train, test }` like scikit-learn's train_test_split (test gets
 * ceil(testSize * n) rows, train floor((1 - testSize) * n); an empty train set is an error).
 * Both partitions carry lineage (source table and partition name), so fits on `test` or on the
 * unsplit table are reported as leakage.
 */
export function trainTestSplit(table: ColumnTable, options: TrainTestSplitOptions = {}): { train: ColumnTable; test: ColumnTable } {
  const n = table.numRows();
  if (n < 2) throw new RangeError(`trainTestSplit: need at least 2 rows, got ${n}`);
  const { nTest, nTrain } = sizes(n, options.testSize ?? 0.25);
  const random = rng(options.seed);
  const shuffle = options.shuffle ?? true;
  let trainPos: number[];
  let testPos: number[];
  if (options.stratify) {
    if (!shuffle) throw new Error("trainTestSplit: stratify needs shuffle (as in scikit-learn)");
    const groups = [...byClass(columnValues(table, options.stratify, "trainTestSplit")).values()];
    checkStratified(groups, nTrain, nTest, options.stratify);
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
    // as scikit-learn: shuffled, test is the first nTest of the permutation and train the next nTrain;
    // unshuffled, train is the first nTrain rows and test the next nTest
    const p = shuffle ? permutation(n, random) : Uint32Array.from({ length: n }, (_, i) => i);
    testPos = Array.from(shuffle ? p.subarray(0, nTest) : p.subarray(nTrain, nTrain + nTest));
    trainPos = Array.from(shuffle ? p.subarray(nTest, nTest + nTrain) : p.subarray(0, nTrain));
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
