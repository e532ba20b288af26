// Loads the SciPy fixtures (test/fixtures/scipy/drift.json) and rebuilds their generated samples bit for bit.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { mulberry32 } from "../../../../kernel/ml/context.js";

/** Repository root, from out/test/kernel/ml/drift/ (compiled) or test/kernel/ml/drift/ (source). */
export const ROOT = fileURLToPath(new URL(import.meta.url.includes("/out/") ? "../../../../../" : "../../../../", import.meta.url));

export interface Spec {
  seed: number;
  n: number;
  shape: "uniform" | "sum3" | "int";
  scale: number;
  shift: number;
}

/** The same values as generate() in make_drift_fixtures.py. */
export function generate(spec: Spec): Float64Array {
  const rnd = mulberry32(spec.seed);
  const out = new Float64Array(spec.n);
  for (let i = 0; i < spec.n; i++) {
    if (spec.shape === "uniform") out[i] = rnd() * spec.scale + spec.shift;
    else if (spec.shape === "sum3") out[i] = (rnd() + rnd() + rnd()) * spec.scale + spec.shift;
    else out[i] = Math.floor(rnd() * spec.scale) + spec.shift;
  }
  return out;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const fixtures: any = JSON.parse(readFileSync(`${ROOT}test/fixtures/scipy/drift.json`, "utf8"), (_k, v) =>
  v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : v,
);

/** |actual - expected| <= 1e-9, with a message naming the case. */
export function close(actual: number, expected: number, what: string, tol = 1e-9): void {
  if (expected === Infinity || Number.isNaN(expected)) {
    if (!Object.is(actual, expected)) throw new Error(`${what}: expected ${expected}, got ${actual}`);
    return;
  }
  if (!(Math.abs(actual - expected) <= tol)) throw new Error(`${what}: expected ${expected}, got ${actual} (diff ${actual - expected})`);
}
