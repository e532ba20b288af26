// Cross-validated search shared by gridSearch and randomSearch: same seeded folds for every candidate.
import * as aq from "arquero";
import type { ColumnTable } from "arquero";
import { context } from "../context.js";
import { backendName } from "../tf.js";
import type { Label } from "../evaluate/labels.js";
import type { MlpOptions } from "../train/mlp.js";
import type { Model } from "../train/trained.js";
import { searchChart } from "./chart.js";
import { fitter, isClassifierName, searchFolds, type Trial } from "./fit.js";
import type { Params } from "./space.js";
import { COLD_POOL_MIN_MS, runTrials, sharedTableBytes, threadCount } from "./trials.js";

/** The train verbs a search can fit by name. */
export type ModelName = "logisticRegression" | "linearRegression" | "mlpClassifier" | "mlpRegressor";

/** A metric by name, or a function scoring a fitted model on held-out rows. */
export type Scoring =
  | "accuracy" | "precision" | "recall" | "f1" | "rocAuc" | "logLoss" | "mse" | "rmse" | "mae" | "r2"
  | ((model: Model, test: ColumnTable) => number);

export interface SearchOptions {
  /** What to fit: a train verb name, or `(table, params) => Promise<Model>`. */
  model: ModelName | ((table: ColumnTable, params: Params) => Promise<Model>);
  target: string;
  features?: string[];
  /** Options every candidate shares (epochs, batchSize, ...); candidate params override them. */
  base?: Partial<MlpOptions>;
  /** Number of folds (default 5); classifiers get stratified folds, as scikit-learn's cross-validation. */
  folds?: number;
  /** Default: "accuracy" for classifiers, "r2" for regressors. */
  scoring?: Scoring;
  /** Whether a larger score is better (default: true, except mse, rmse, mae, logLoss). */
  greaterIsBetter?: boolean;
  /** The positive label for binary precision/recall/f1. */
  positive?: Label;
  /** Seed of the folds and of every fit; default the stage's `context().seed()`. */
  seed?: number;
  /** Fit the best params on the whole table (default true). */
  refit?: boolean;
  /**
   * Threads fitting trials (candidate x fold) at once, the calling thread included: 1 = all on the
   * calling thread, n = the calling thread and n - 1 pool threads (kept warm between searches, see
   * pool.ts). Scores, best params and the refitted `bestModel` (hash for hash: its layers are named
   * by position, see train/dense.ts) equal the sequential run's whatever the count. Default: the
   * core count (`os.availableParallelism()`), except that a search whose sequential rest looks
   * shorter than 2 s (a fit's time x the trials left) does not start cold pool threads, which cost
   * about 0.6 s of CPU each before their first fit: it uses the warm ones waiting, if any, and the
   * calling thread. An explicit count starts its threads at once. A `model` or `scoring` function
   * always runs on the calling thread.
   */
  workers?: number;
}

export interface SearchResult {
  /** One row per candidate: params, mean_test_score, std_test_score, rank_test_score, split<k>_test_score. */
  results: ColumnTable;
  /**
   * Mean fit time per candidate (ms), in `results` row order. Kept out of `results` on purpose:
   * wall-clock times differ every run, and the results table is a tracked, reproducible output.
   */
  fitMs: number[];
  /** Vega-lite chart of mean score +- std per candidate. */
  chart: Record<string, unknown>;
  bestParams: Params;
  bestScore: number;
  /** The best params refitted on the whole table (dispose it when done). */
  bestModel?: Model;
  scoring: string;
}

const LOWER_IS_BETTER = new Set(["mse", "rmse", "mae", "logLoss"]);
let counter = 0;

/** Score every candidate with k-fold cross-validation and (optionally) refit the best. */
export async function search(verb: string, table: ColumnTable, candidates: Params[], opts: SearchOptions, seed: number): Promise<SearchResult> {
  if (!opts || !opts.model) throw new Error(`${verb}: options.model is required (a train verb name or a fit function)`);
  if (!opts.target) throw new Error(`${verb}: options.target is required`);
  const k = opts.folds ?? 5;
  const values = table.array(opts.target) as unknown[];
  const classifier = typeof opts.model === "string" ? isClassifierName(opts.model) : values.some((v) => typeof v !== "number");
  const scoring = opts.scoring ?? (classifier ? "accuracy" : "r2");
  const scoringName = typeof scoring === "string" ? scoring : scoring.name || "custom";
  const greater = opts.greaterIsBetter ?? !(typeof scoring === "string" && LOWER_IS_BETTER.has(scoring));
  const folds = searchFolds(table, opts.target, classifier, k, seed);
  const fit = fitter(opts, seed, verb);
  const displayId = `mlnb-tune-${++counter}`;
  const rows: Record<string, unknown>[] = [];
  const fitMs: number[] = [];
  const trials: Trial[] = candidates.flatMap((params, candidate) => folds.map((f) => ({ candidate, params, fold: f.fold })));
  const threads = typeof opts.model === "function" || typeof scoring === "function" ? 1 : threadCount(opts.workers, trials.length);
  const run = await runTrials({ verb, folds, fit, scoring, opts }, () => ({
    verb, ipc: sharedTableBytes(table), opts: { ...opts, scoring }, seed, classifier, k, backend: backendName() ?? "cpu",
  }), trials, {
    threads,
    coldStartAfterMs: opts.workers === undefined ? COLD_POOL_MIN_MS : undefined,
    signal: context().signal,
    onDone: (r, done) => context().display({ "text/plain": `${verb}: ${done}/${trials.length} fits done (candidate ${r.candidate + 1}/${candidates.length}, fold ${r.fold + 1}/${k}) on up to ${threads} thread${threads > 1 ? "s" : ""}` }, displayId),
  });
  const failure = run.results.find((r) => r && "error" in r);
  if (failure && "error" in failure) {
    const where = `${verb}: candidate ${failure.candidate + 1} ${JSON.stringify(candidates[failure.candidate])}, fold ${failure.fold + 1}: `;
    // Raised on this thread: the same error (DataLeakageError stays one), its message naming the candidate.
    if (failure.cause instanceof Error) {
      failure.cause.message = where + failure.cause.message;
      throw failure.cause;
    }
    throw new Error(where + failure.error);
  }
  const outcome = new Map<string, { score: number; ms: number }>();
  for (const r of run.results) outcome.set(`${r!.candidate}/${r!.fold}`, r as { score: number; ms: number });

  for (let c = 0; c < candidates.length; c++) {
    const params = candidates[c];
    const scores = folds.map((f) => outcome.get(`${c}/${f.fold}`)!.score);
    const ms = folds.reduce((s, f) => s + outcome.get(`${c}/${f.fold}`)!.ms, 0);
    const mean = scores.reduce((s, v) => s + v, 0) / scores.length;
    const std = Math.sqrt(scores.reduce((s, v) => s + (v - mean) ** 2, 0) / scores.length);
    const row: Record<string, unknown> = { params: JSON.stringify(params) };
    for (const [key, v] of Object.entries(params)) row[`param_${key}`] = Array.isArray(v) ? JSON.stringify(v) : v;
    Object.assign(row, { mean_test_score: mean, std_test_score: std });
    scores.forEach((s, i) => { row[`split${i}_test_score`] = s; });
    fitMs.push(ms / k);
    rows.push(row);
  }

  // rank 1 = best; ties share the lower rank (scipy's "min", as scikit-learn); NaN scores rank last
  const key = (r: Record<string, unknown>) => { const s = r.mean_test_score as number; return Number.isNaN(s) ? -Infinity : greater ? s : -s; };
  const sorted = [...rows].sort((a, b) => key(b) - key(a));
  rows.forEach((r) => { r.rank_test_score = 1 + sorted.findIndex((s) => key(s) === key(r)); });
  const best = sorted[0];
  const bestIndex = rows.indexOf(best);
  const bestParams = candidates[bestIndex];
  const spread = run.fitsPerThread.length > 1 ? ` (fits per thread: ${run.fitsPerThread.join(", ")}; the calling thread first)` : "";
  context().display({ "text/plain": `${verb}: best ${scoringName} ${fmt(best.mean_test_score as number)} with ${best.params as string}${spread}` }, displayId);
  const results = aq.from(rows);
  const result: SearchResult = {
    results, fitMs, chart: searchChart(rows, scoringName), bestParams, bestScore: best.mean_test_score as number, scoring: scoringName,
  };
  if (opts.refit ?? true) result.bestModel = await fit(table, bestParams);
  return result;
}

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toFixed(4) : String(v);
}
