// evaluate.classification: accuracy, precision/recall/f1, ROC AUC, log loss and the confusion matrix (sklearn's numbers).
import { checkLengths, encode, sortLabels, type Label } from "./labels.js";
import { rocAucBinary } from "./roc.js";

/**
 * "binary" scores only the positive label; "macro" is the unweighted mean over labels; "weighted"
 * weights by support; "micro" counts true positives, predictions and truths over all labels at once.
 */
export type Average = "binary" | "macro" | "weighted" | "micro";

export interface ClassificationOptions {
  /**
   * Class scores: one row per value with a column per label (predictProba), or for two labels a
   * vector of the positive label's score. Enables rocAuc and logLoss.
   */
  scores?: ArrayLike<ArrayLike<number>> | ArrayLike<number>;
  /** Default: "binary" for two labels (positive 1 or true unless given), "macro" otherwise. */
  average?: Average;
  /** The positive label for binary averaging, and the label a score vector scores. */
  positive?: Label;
  /** The labels and their order (confusion matrix rows, score columns); default: sorted labels seen. */
  labels?: Label[];
}

/** Per-label precision, recall, f1 and support (rows of yTrue with the label). */
export interface PerClass { label: Label; precision: number; recall: number; f1: number; support: number }

export interface ClassificationMetrics {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  average: Average;
  positive?: Label;
  /** With scores: binary AUC, or one-vs-rest averaged (macro, or weighted / micro when average says so). */
  rocAuc?: number;
  logLoss?: number;
  labels: Label[];
  /** confusion[i][j]: rows whose true label is labels[i] and predicted labels[j]. */
  confusion: number[][];
  perClass: PerClass[];
  n: number;
}

const EPS = 2.220446049250313e-16; // float64 machine epsilon: sklearn's log_loss clipping

/**
 * Classification metrics equal to scikit-learn's (accuracy_score, precision_recall_fscore_support
 * with zero_division=0, roc_auc_score (multi_class "ovr"), log_loss, confusion_matrix). Pure: it
 * records nothing; pass what you want to keep to `log.metric`.
 */
export function classification(yTrue: ArrayLike<unknown>, yPred: ArrayLike<unknown>, options: ClassificationOptions = {}): ClassificationMetrics {
  const what = "evaluate.classification";
  checkLengths(yTrue, yPred, what);
  const { labels, t, p } = encode(yTrue, yPred, what, options.labels);
  const k = labels.length;
  const n = t.length;
  const cm = new Float64Array(k * k);
  for (let i = 0; i < n; i++) cm[t[i] * k + p[i]]++;
  const tp = new Float64Array(k);
  const predSum = new Float64Array(k);
  const trueSum = new Float64Array(k);
  let correct = 0;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      const c = cm[a * k + b];
      trueSum[a] += c;
      predSum[b] += c;
    }
    tp[a] = cm[a * k + a];
    correct += tp[a];
  }
  const perClass: PerClass[] = labels.map((label, c) => {
    const precision = predSum[c] === 0 ? 0 : tp[c] / predSum[c];
    const recall = trueSum[c] === 0 ? 0 : tp[c] / trueSum[c];
    const denom = precision + recall;
    // same operation order as sklearn's (1 + beta2) * precision * recall / denom, for identical rounding
    const f1 = denom === 0 ? 0 : (2 * precision * recall) / denom;
    return { label, precision, recall, f1, support: trueSum[c] };
  });

  const average = options.average ?? (k <= 2 ? "binary" : "macro");
  let positive: Label | undefined;
  let summary: { precision: number; recall: number; f1: number };
  if (average === "binary") {
    if (k > 2) throw new RangeError(`${what}: average "binary" needs two labels, got ${k} (${labels.join(", ")}); use "macro" or "weighted"`);
    // sklearn's pos_label=1; with a single label present, a positive label that is absent just scores 0
    positive = options.positive ?? (labels.includes(1) ? 1 : labels.includes(true) ? true : k < 2 ? 1 : undefined);
    if (positive === undefined) throw new RangeError(`${what}: average "binary" needs a positive label (labels: ${labels.join(", ")}); pass { positive }`);
    const c = labels.indexOf(positive);
    // a positive label that never occurs scores 0, as in sklearn
    summary = c < 0 ? { precision: 0, recall: 0, f1: 0 } : perClass[c];
  } else if (average === "macro") {
    summary = { precision: mean(perClass.map((r) => r.precision)), recall: mean(perClass.map((r) => r.recall)), f1: mean(perClass.map((r) => r.f1)) };
  } else if (average === "weighted") {
    const w = perClass.map((r) => r.support);
    summary = { precision: wmean(perClass.map((r) => r.precision), w), recall: wmean(perClass.map((r) => r.recall), w), f1: wmean(perClass.map((r) => r.f1), w) };
  } else if (average === "micro") {
    let tps = 0, preds = 0, truths = 0;
    for (let c = 0; c < k; c++) { tps += tp[c]; preds += predSum[c]; truths += trueSum[c]; }
    const precision = preds === 0 ? 0 : tps / preds;
    const recall = truths === 0 ? 0 : tps / truths;
    const denom = precision + recall;
    summary = { precision, recall, f1: denom === 0 ? 0 : (2 * precision * recall) / denom };
  } else {
    throw new RangeError(`${what}: average must be "binary", "macro", "weighted" or "micro", got ${String(average)}`);
  }

  const out: ClassificationMetrics = {
    accuracy: correct / n, precision: summary.precision, recall: summary.recall, f1: summary.f1, average,
    labels, confusion: rows(cm, k), perClass, n,
  };
  if (positive !== undefined) out.positive = positive;
  if (options.scores !== undefined) {
    // when every label occurs in yTrue, its codes are already the ones scores are read against
    const reuse = options.labels !== undefined || trueSum.every((c) => c > 0) ? { labels, t } : undefined;
    Object.assign(out, scored(yTrue, options, average, what, reuse));
  }
  return out;
}

/** rocAuc and logLoss from scores, against the labels of yTrue (or the given labels), as sklearn. */
function scored(yTrue: ArrayLike<unknown>, options: ClassificationOptions, average: Average, what: string, known?: { labels: Label[]; t: Int32Array }): { rocAuc: number; logLoss: number } {
  const scores = options.scores!;
  if (scores.length !== yTrue.length) throw new RangeError(`${what}: scores has ${scores.length} rows but yTrue has ${yTrue.length}`);
  const { labels, t } = known ?? encode(yTrue, yTrue, what, options.labels);
  const k = labels.length;
  if (k < 2) throw new RangeError(`${what}: yTrue has a single label (${String(labels[0])}); rocAuc and logLoss need two (pass { labels })`);
  const n = t.length;
  const vector = typeof scores[0] === "number";
  if (vector) {
    if (k !== 2) throw new RangeError(`${what}: a score vector needs two labels, got ${k}; pass one score row per value (predictProba)`);
    const pos = options.positive ?? labels[sortLabels(labels)[1]];
    const c = labels.indexOf(pos);
    if (c < 0) throw new RangeError(`${what}: positive label ${JSON.stringify(pos)} is not in yTrue`);
    const s = scores as ArrayLike<number>;
    const isPos = new Uint8Array(n);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      isPos[i] = t[i] === c ? 1 : 0;
      const q = Math.min(Math.max(s[i], EPS), 1 - EPS);
      const q0 = 1 - q;
      const sum = q0 + q;
      loss -= Math.log((isPos[i] ? q : q0) / sum);
    }
    return { rocAuc: rocAucBinary(isPos, s, what), logLoss: loss / n };
  }
  const m = scores as ArrayLike<ArrayLike<number>>;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const row = m[i];
    if (!row || row.length !== k) throw new RangeError(`${what}: scores row ${i} has ${row?.length ?? 0} columns but there are ${k} labels (${labels.join(", ")})`);
    let sum = 0;
    for (let j = 0; j < k; j++) sum += Math.min(Math.max(row[j], EPS), 1 - EPS);
    loss -= Math.log(Math.min(Math.max(row[t[i]], EPS), 1 - EPS) / sum);
  }
  const column = (c: number): Float64Array => { const col = new Float64Array(n); for (let i = 0; i < n; i++) col[i] = m[i][c]; return col; };
  const isClass = (c: number): Uint8Array => { const a = new Uint8Array(n); for (let i = 0; i < n; i++) a[i] = t[i] === c ? 1 : 0; return a; };
  let rocAuc: number;
  if (k > 2) checkProbabilities(m, k, what);
  if (k === 2) {
    const c = options.positive !== undefined ? labels.indexOf(options.positive) : sortLabels(labels)[1];
    if (c < 0) throw new RangeError(`${what}: positive label ${JSON.stringify(options.positive)} is not in yTrue`);
    rocAuc = rocAucBinary(isClass(c), column(c), what);
  } else if (average === "micro") {
    // one-vs-rest flattened: every (row, label) pair is one binary prediction
    const isPos = new Uint8Array(n * k);
    const flat = new Float64Array(n * k);
    for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) { isPos[i * k + c] = t[i] === c ? 1 : 0; flat[i * k + c] = m[i][c]; }
    rocAuc = rocAucBinary(isPos, flat, what);
  } else {
    const aucs = labels.map((_, c) => rocAucBinary(isClass(c), column(c), `${what} (label ${String(labels[c])})`));
    if (average === "weighted") {
      const w = new Array<number>(k).fill(0);
      for (let i = 0; i < n; i++) w[t[i]]++;
      rocAuc = wmean(aucs, w);
    } else {
      rocAuc = mean(aucs);
    }
  }
  return { rocAuc, logLoss: loss / n };
}

/** Multiclass ROC AUC needs probabilities: each row summing to 1 (numpy's allclose, as sklearn), else an error naming the row. */
function checkProbabilities(m: ArrayLike<ArrayLike<number>>, k: number, what: string): void {
  for (let i = 0; i < m.length; i++) {
    let sum = 0;
    for (let j = 0; j < k; j++) sum += m[i][j];
    if (!(Math.abs(1 - sum) <= 1e-8 + 1e-5 * Math.abs(sum))) {
      throw new RangeError(`${what}: scores row ${i} sums to ${sum}, not 1; multiclass rocAuc needs probabilities (normalise the scores, e.g. softmax)`);
    }
  }
}

function rows(cm: Float64Array, k: number): number[][] {
  return Array.from({ length: k }, (_, a) => Array.from(cm.subarray(a * k, a * k + k)));
}

function mean(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

function wmean(xs: number[], w: number[]): number {
  let s = 0;
  let sw = 0;
  for (let i = 0; i < xs.length; i++) { s += xs[i] * w[i]; sw += w[i]; }
  return sw === 0 ? 0 : s / sw;
}
