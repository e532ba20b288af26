// Loads the scikit-learn metric fixtures (test/fixtures/sklearn-metrics/metrics.json, made by make_fixtures.py).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";

const ROOT = fileURLToPath(new URL(import.meta.url.includes("/out/") ? "../../../../../" : "../../../../", import.meta.url));

export interface ClassificationCase {
  name: string;
  yTrue: (string | number)[];
  yPred: (string | number)[];
  labels: (string | number)[];
  positive?: string | number;
  accuracy: number;
  confusion: number[][];
  averages: Record<"macro" | "weighted" | "micro" | "binary", { precision: number; recall: number; f1: number } | undefined>;
  scores?: number[] | number[][];
  logLoss?: number;
  rocAuc?: number;
  rocAucMacro?: number;
  rocAucWeighted?: number;
  rocAucMicro?: number;
  /** scikit-learn's error for these scores (unnormalised multiclass scores). */
  rocAucError?: string;
  rocCurve?: { fpr: number[]; tpr: number[]; thresholds: number[] };
}

export interface RegressionCase { name: string; yTrue: number[]; yPred: number[]; mse: number; rmse: number; mae: number; /** null: NaN */ r2: number | null }

export const fixtures = JSON.parse(readFileSync(`${ROOT}test/fixtures/sklearn-metrics/metrics.json`, "utf8")) as {
  sklearn: string;
  classification: ClassificationCase[];
  regression: RegressionCase[];
};

/** Equal to scikit-learn's number within 1e-9 (relative for large values). */
export function close(actual: number | undefined, expected: number, what: string): void {
  assert.equal(typeof actual, "number", `${what}: missing`);
  assert.ok(Math.abs(actual! - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${what}: ${actual} != sklearn ${expected}`);
}
