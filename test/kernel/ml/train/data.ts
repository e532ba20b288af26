// Small seeded tables for the train tests (two blobs, a linear target), built with arquero.
import * as aq from "arquero";
import type { ColumnTable } from "arquero";
import { mulberry32, type RunContext, type Mime } from "../../../../kernel/ml/context.js";

/** Two Gaussian-ish blobs in 2-D, labelled "left" / "right", well separated. */
export function blobs(n = 120, seed = 3): ColumnTable {
  const r = mulberry32(seed);
  const x1: number[] = [], x2: number[] = [], label: string[] = [];
  for (let i = 0; i < n; i++) {
    const right = i % 2 === 1;
    x1.push((right ? 1.5 : -1.5) + (r() - 0.5));
    x2.push((r() - 0.5) * 2);
    label.push(right ? "right" : "left");
  }
  return aq.table({ x1, x2, label });
}

/** y = 2 x1 - 3 x2 + 1 (+ tiny noise) on standardised-scale inputs. */
export function linear(n = 200, seed = 5): ColumnTable {
  const r = mulberry32(seed);
  const x1: number[] = [], x2: number[] = [], y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = r() * 2 - 1, b = r() * 2 - 1;
    x1.push(a); x2.push(b); y.push(2 * a - 3 * b + 1 + (r() - 0.5) * 0.01);
  }
  return aq.table({ x1, x2, y });
}

/** A stage context that records displays, with a fixed seed. */
export function recordingContext(seed = 42): RunContext & { shown: { data: Mime; id?: string }[] } {
  const shown: { data: Mime; id?: string }[] = [];
  const random = mulberry32(seed);
  return { shown, display: (data, id) => { shown.push({ data, id }); }, metric() {}, param() {}, random, seed: () => seed };
}
