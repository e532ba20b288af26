// Turning column values into what the drift tests consume: sorted Float64Arrays and category counts.

import { sortFloat64 } from "../sort.js";

/** Numbers as any array-like; null, undefined, NaN and ±Infinity count as missing (Evidently drops them). */
export type NumericInput = ArrayLike<number | null | undefined>;
/** Category values; null, undefined and NaN count as missing. */
export type CategoricalInput = ArrayLike<unknown>;

/** The finite values of `values`, sorted ascending, in a fresh Float64Array (no per-element allocation). */
export function sortedNumbers(values: NumericInput): Float64Array {
  let out = new Float64Array(values.length);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === "number" && Number.isFinite(v)) out[k++] = v;
  }
  if (k < out.length) out = out.slice(0, k);
  return sortFloat64(out);
}

/** Number of distinct values in the union of two sorted arrays. */
export function distinctSorted(a: Float64Array, b: Float64Array): number {
  let i = 0;
  let j = 0;
  let count = 0;
  let last = NaN;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
    if (v !== last) {
      count++;
      last = v;
    }
  }
  return count;
}

/** Number of distinct values in one sorted array. */
export function distinctOne(a: Float64Array): number {
  let count = 0;
  for (let i = 0; i < a.length; i++) if (i === 0 || a[i] !== a[i - 1]) count++;
  return count;
}

function missing(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === "number" && Number.isNaN(v));
}

/** Counts per category (missing values skipped) and the number of non-missing values. */
export function countCategories(values: CategoricalInput): { counts: Map<unknown, number>; total: number } {
  const counts = new Map<unknown, number>();
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (missing(v)) continue;
    const key = v instanceof Date ? v.getTime() : v;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    total++;
  }
  return { counts, total };
}

/** Category keys of both samples (reference first, then new ones of current) with aligned counts. */
export function alignedCounts(
  reference: CategoricalInput,
  current: CategoricalInput,
): { keys: unknown[]; ref: Float64Array; cur: Float64Array; nRef: number; nCur: number } {
  const r = countCategories(reference);
  const c = countCategories(current);
  const keys = [...r.counts.keys()];
  for (const k of c.counts.keys()) if (!r.counts.has(k)) keys.push(k);
  const ref = new Float64Array(keys.length);
  const cur = new Float64Array(keys.length);
  keys.forEach((k, i) => {
    ref[i] = r.counts.get(k) ?? 0;
    cur[i] = c.counts.get(k) ?? 0;
  });
  return { keys, ref, cur, nRef: r.total, nCur: c.total };
}

/** Counts of numeric values per distinct value, for numeric columns with few distinct values. */
export function alignedNumericCounts(a: Float64Array, b: Float64Array): { keys: number[]; ref: Float64Array; cur: Float64Array } {
  const keys: number[] = [];
  const ref: number[] = [];
  const cur: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
    let ca = 0;
    let cb = 0;
    while (i < a.length && a[i] === v) {
      i++;
      ca++;
    }
    while (j < b.length && b[j] === v) {
      j++;
      cb++;
    }
    keys.push(v);
    ref.push(ca);
    cur.push(cb);
  }
  return { keys, ref: Float64Array.from(ref), cur: Float64Array.from(cur) };
}
