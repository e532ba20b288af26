// ROC AUC and ROC curve of binary scores (scikit-learn's roc_auc_score / roc_curve semantics).
import { sortFloat64 } from "../sort.js";

/** A ROC curve: false/true positive rates per distinct threshold (collinear points dropped, as sklearn). */
export interface RocCurve {
  fpr: number[];
  tpr: number[];
  /** Score thresholds; the first is +Infinity (no row predicted positive). */
  thresholds: number[];
}

/** Scores of positives and negatives, each sorted ascending (walked from the end: descending). */
function splitSorted(isPos: Uint8Array, scores: ArrayLike<number>, what: string): { pos: Float64Array; neg: Float64Array } {
  let nPos = 0;
  for (let i = 0; i < isPos.length; i++) nPos += isPos[i];
  const pos = new Float64Array(nPos);
  const neg = new Float64Array(isPos.length - nPos);
  let a = 0;
  let b = 0;
  for (let i = 0; i < isPos.length; i++) {
    const s = scores[i];
    if (typeof s !== "number" || Number.isNaN(s)) throw new TypeError(`${what}: scores[${i}] is not a number`);
    if (isPos[i]) pos[a++] = s;
    else neg[b++] = s;
  }
  if (pos.length === 0 || neg.length === 0) throw new RangeError(`${what}: only one class present in yTrue; ROC AUC is not defined`);
  return { pos: sortFloat64(pos), neg: sortFloat64(neg) };
}

/** Walk the distinct thresholds from the highest: calls `at(fps, tps, threshold)` after each. */
function walk(pos: Float64Array, neg: Float64Array, at: (fps: number, tps: number, threshold: number) => void): void {
  let i = pos.length - 1;
  let j = neg.length - 1;
  while (i >= 0 || j >= 0) {
    const s = i >= 0 && (j < 0 || pos[i] >= neg[j]) ? pos[i] : neg[j];
    while (i >= 0 && pos[i] === s) i--;
    while (j >= 0 && neg[j] === s) j--;
    at(neg.length - 1 - j, pos.length - 1 - i, s);
  }
}

/**
 * Area under the ROC curve of binary scores. Exact: the trapezoids are summed in integer counts
 * (ties count half, as sklearn's trapezoid over distinct thresholds) and divided once.
 */
export function rocAucBinary(isPos: Uint8Array, scores: ArrayLike<number>, what: string): number {
  const { pos, neg } = splitSorted(isPos, scores, what);
  let area2 = 0;
  let fps = 0;
  let tps = 0;
  walk(pos, neg, (f, t) => {
    area2 += (f - fps) * (t + tps);
    fps = f;
    tps = t;
  });
  return area2 / (2 * pos.length * neg.length);
}

/** The ROC curve of binary scores, with scikit-learn's drop_intermediate (collinear points removed). */
export function rocCurveBinary(isPos: Uint8Array, scores: ArrayLike<number>, what: string): RocCurve {
  const { pos, neg } = splitSorted(isPos, scores, what);
  const fps: number[] = [];
  const tps: number[] = [];
  const thr: number[] = [];
  walk(pos, neg, (f, t, s) => { fps.push(f); tps.push(t); thr.push(s); });
  const keep: number[] = [];
  for (let k = 0; k < fps.length; k++) {
    const edge = k === 0 || k === fps.length - 1;
    if (edge || fps[k + 1] - 2 * fps[k] + fps[k - 1] !== 0 || tps[k + 1] - 2 * tps[k] + tps[k - 1] !== 0) keep.push(k);
  }
  const nNeg = fps[fps.length - 1];
  const nPos = tps[tps.length - 1];
  return {
    fpr: [0, ...keep.map((k) => fps[k] / nNeg)],
    tpr: [0, ...keep.map((k) => tps[k] / nPos)],
    thresholds: [Infinity, ...keep.map((k) => thr[k])],
  };
}
