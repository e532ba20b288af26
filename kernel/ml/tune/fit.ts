// One cross-validation trial (candidate x fold), the same code on the calling thread and on a pool worker.
//
// A trial's result depends only on the table, the seed, the candidate's params and the fold, so
// which thread runs it does not change the score: a search's results equal the sequential run's.
import type { ColumnTable } from "arquero";
import { evaluate } from "../evaluate/index.js";
import type { Label } from "../evaluate/labels.js";
import { split } from "../split/index.js";
import type { Fold } from "../split/folds.js";
import { train } from "../train/index.js";
import type { MlpOptions } from "../train/mlp.js";
import type { Model } from "../train/trained.js";
import type { Scoring, SearchOptions } from "./search.js";
import type { Params } from "./space.js";

const CLASSIFIERS = new Set(["logisticRegression", "mlpClassifier"]);

/** One trial to run: candidate index, its params, and the fold. */
export interface Trial {
  candidate: number;
  params: Params;
  fold: number;
}

/** A trial's outcome: its score and fit time, or the error it raised (`cause`: the error itself, on the thread that raised it). */
export type TrialResult = { candidate: number; fold: number; score: number; ms: number } | { candidate: number; fold: number; error: string; cause?: unknown };

/** What every trial of one search shares: the folds, the fit function and the scoring. */
export interface TrialContext {
  verb: string;
  folds: Fold[];
  fit: (t: ColumnTable, params: Params) => Promise<Model>;
  scoring: Scoring;
  opts: SearchOptions;
}

/** Whether a named model is a classifier (stratified folds, accuracy by default). */
export function isClassifierName(model: string): boolean {
  return CLASSIFIERS.has(model);
}

/** The search's seeded folds: stratified for classifiers, as scikit-learn's cross-validation. */
export function searchFolds(table: ColumnTable, target: string, classifier: boolean, k: number, seed: number): Fold[] {
  return classifier
    ? split.stratifiedKFold(table, target, { k, shuffle: true, seed })
    : split.kFold(table, { k, shuffle: true, seed });
}

/** Fit one candidate on one fold's training rows and score it on the fold's held-out rows. */
export async function runTrial(ctx: TrialContext, t: Trial): Promise<TrialResult> {
  try {
    const fold = ctx.folds[t.fold]!;
    const t0 = performance.now();
    const model = await ctx.fit(fold.train, t.params);
    const ms = performance.now() - t0;
    try {
      return { candidate: t.candidate, fold: t.fold, score: scoreOf(ctx.scoring, model, fold.test, ctx.opts, ctx.verb), ms };
    } finally {
      model.dispose();
    }
  } catch (e) {
    return { candidate: t.candidate, fold: t.fold, error: e instanceof Error ? e.message : String(e), cause: e };
  }
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
