// Cross-validated search shared by gridSearch and randomSearch: same seeded folds for every candidate.
import * as aq from "arquero";
import type { ColumnTable } from "arquero";
import { context } from "../context.js";
import { evaluate } from "../evaluate/index.js";
import type { Label } from "../evaluate/labels.js";
import { split } from "../split/index.js";
import { train } from "../train/index.js";
import type { MlpOptions } from "../train/mlp.js";
import type { Model } from "../train/trained.js";
import { searchChart } from "./chart.js";
import type { Params } from "./space.js";
import { runTrialsOnWorkers, tableBytes, workerCount, type Trial, type TrialSetup } from "./trials.js";

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
   * Worker threads fitting trials (candidate x fold) at once; default the core count, 1 = on this
   * thread. Scores equal the sequential run's. A `model` or `scoring` function always runs here.
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
const CLASSIFIERS = new Set(["logisticRegression", "mlpClassifier"]);
let counter = 0;

/** Score every candidate with k-fold cross-validation and (optionally) refit the best. */
export async function search(verb: string, table: ColumnTable, candidates: Params[], opts: SearchOptions, seed: number): Promise<SearchResult> {
  if (!opts || !opts.model) throw new Error(`${verb}: options.model is required (a train verb name or a fit function)`);
  if (!opts.target) throw new Error(`${verb}: options.target is required`);
  const k = opts.folds ?? 5;
  const values = table.array(opts.target) as unknown[];
  const classifier = typeof opts.model === "string" ? CLASSIFIERS.has(opts.model) : values.some((v) => typeof v !== "number");
  const scoring = opts.scoring ?? (classifier ? "accuracy" : "r2");
  const scoringName = typeof scoring === "string" ? scoring : scoring.name || "custom";
  const greater = opts.greaterIsBetter ?? !(typeof scoring === "string" && LOWER_IS_BETTER.has(scoring));
  const folds = classifier
    ? split.stratifiedKFold(table, opts.target, { k, shuffle: true, seed })
    : split.kFold(table, { k, shuffle: true, seed });
  const fit = fitter(opts, seed, verb);
  const displayId = `mlnb-tune-${++counter}`;
  const rows: Record<string, unknown>[] = [];
  const fitMs: number[] = [];
  const trials: Trial[] = candidates.flatMap((params, candidate) => folds.map((f) => ({ candidate, params, fold: f.fold })));
  const workers = typeof opts.model === "function" || typeof scoring === "function" ? 1 : workerCount(opts.workers, trials.length);
  const outcome = new Map<string, { score: number; ms: number }>();
  if (workers > 1) {
    const setup: TrialSetup = { verb, ipc: tableBytes(table), opts: { ...opts, scoring }, seed, classifier, k };
    const results = await runTrialsOnWorkers(setup, trials, workers, (_, done) =>
      context().display({ "text/plain": `${verb}: ${done}/${trials.length} fits done on ${workers} worker threads` }, displayId));
    for (const r of results) {
      if ("error" in r) throw new Error(`${verb}: candidate ${r.candidate + 1} ${JSON.stringify(candidates[r.candidate])}, fold ${r.fold + 1}: ${r.error}`);
      outcome.set(`${r.candidate}/${r.fold}`, r);
    }
  } else {
    for (const t of trials) {
      context().display({ "text/plain": `${verb}: candidate ${t.candidate + 1}/${candidates.length} ${JSON.stringify(t.params)}, fold ${t.fold + 1}/${k}` }, displayId);
      const fold = folds[t.fold]!;
      const t0 = performance.now();
      const model = await fit(fold.train, t.params);
      const ms = performance.now() - t0;
      try {
        outcome.set(`${t.candidate}/${t.fold}`, { score: scoreOf(scoring, model, fold.test, opts, verb), ms });
      } finally {
        model.dispose();
      }
    }
  }

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
  context().display({ "text/plain": `${verb}: best ${scoringName} ${fmt(best.mean_test_score as number)} with ${best.params as string}` }, displayId);
  const results = aq.from(rows);
  const result: SearchResult = {
    results, fitMs, chart: searchChart(rows, scoringName), bestParams, bestScore: best.mean_test_score as number, scoring: scoringName,
  };
  if (opts.refit ?? true) result.bestModel = await fit(table, bestParams);
  return result;
}

/** The fit function of a search: the named train verb with the shared options, or the user's function. */
export function fitter(opts: SearchOptions, seed: number, verb: string): (t: ColumnTable, params: Params) => Promise<Model> {
  const model = opts.model;
  if (typeof model === "function") return model;
  const verbFn = (train as unknown as Record<string, (t: ColumnTable, o: MlpOptions) => Promise<Model>>)[model];
  if (!CLASSIFIERS.has(model) && !["linearRegression", "mlpRegressor"].includes(model) || !verbFn) {
    throw new Error(`${verb}: model "${String(model)}" is not one of logisticRegression, linearRegression, mlpClassifier, mlpRegressor`);
  }
  return (t, params) => verbFn(t, { progress: false, ...opts.base, ...(params as Partial<MlpOptions>), target: opts.target, features: opts.features, seed });
}

/** A fitted model's score on held-out rows by the search's scoring. */
export function scoreOf(scoring: Scoring, model: Model, test: ColumnTable, opts: SearchOptions, verb: string): number {
  if (typeof scoring === "function") return scoring(model, test);
  const yTrue = test.array(opts.target) as Label[];
  if (["mse", "rmse", "mae", "r2"].includes(scoring)) {
    if (model.task !== "regression") throw new Error(`${verb}: scoring "${scoring}" is for regressors`);
    return evaluate.regression(yTrue as number[], model.predict(test) as number[])[scoring as "mse"];
  }
  if (model.task !== "classification") throw new Error(`${verb}: scoring "${scoring}" is for classifiers`);
  const withScores = scoring === "rocAuc" || scoring === "logLoss";
  const m = evaluate.classification(yTrue, model.predict(test) as Label[], {
    positive: opts.positive,
    ...(withScores ? { scores: model.predictProba(test), labels: model.labels } : {}),
    ...(model.labels!.length > 2 || (opts.positive === undefined && !withScores && !hasDefaultPositive(model.labels!)) ? { average: "macro" as const } : {}),
  });
  const v = m[scoring as "accuracy"];
  if (typeof v !== "number") throw new Error(`${verb}: unknown scoring "${scoring}"`);
  return v;
}

function hasDefaultPositive(labels: Label[]): boolean {
  return labels.includes(1) || labels.includes(true);
}

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toFixed(4) : String(v);
}
