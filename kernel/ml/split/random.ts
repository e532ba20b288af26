// The random source and shuffling shared by the split verbs (seed option, else the stage context).
import { context, mulberry32 } from "../context.js";

/** A uniform [0, 1) generator: `mulberry32(seed)` when a seed is given, else the stage's seeded random. */
export function rng(seed?: number): () => number {
  if (seed !== undefined) return mulberry32(seed);
  const ctx = context();
  return () => ctx.random();
}

/** Fisher-Yates shuffle of 0..n-1 (in place on a fresh array). */
export function permutation(n: number, random: () => number): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = p[i]; p[i] = p[j]; p[j] = t;
  }
  return p;
}

/** Logical row positions grouped by the value of `column` (in first-seen order of classes). */
export function byClass(values: ArrayLike<unknown>): Map<unknown, number[]> {
  const groups = new Map<unknown, number[]>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    let g = groups.get(v);
    if (!g) groups.set(v, (g = []));
    g.push(i);
  }
  return groups;
}
