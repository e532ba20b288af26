// Vega-lite specs for evaluation: confusion heatmap, ROC curve, residuals (display with the vega-lite mime).
import type { ClassificationMetrics } from "./classification.js";
import { checkLengths, encode, sortLabels, type Label } from "./labels.js";
import { rocCurveBinary, type RocCurve } from "./roc.js";

type Spec = Record<string, unknown>;
const SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

/** Heatmap of a confusion matrix (true label down, predicted across) with the counts written in. */
export function confusionChart(metrics: Pick<ClassificationMetrics, "labels" | "confusion">, title = "confusion matrix"): Spec {
  const values: { actual: string; predicted: string; count: number }[] = [];
  metrics.labels.forEach((a, i) => metrics.labels.forEach((p, j) => values.push({ actual: String(a), predicted: String(p), count: metrics.confusion[i][j] })));
  const order = metrics.labels.map(String);
  return {
    $schema: SCHEMA, title, data: { values },
    encoding: {
      x: { field: "predicted", type: "nominal", sort: order, title: "predicted" },
      y: { field: "actual", type: "nominal", sort: order, title: "actual" },
    },
    layer: [
      { mark: "rect", encoding: { color: { field: "count", type: "quantitative", scale: { scheme: "blues" } } } },
      { mark: { type: "text", baseline: "middle" }, encoding: { text: { field: "count", type: "quantitative" } } },
    ],
  };
}

/**
 * The ROC curve of binary scores (positive: the given label, else the greater one, as sklearn's
 * roc_curve default), same points as sklearn's roc_curve with drop_intermediate.
 */
export function rocCurve(yTrue: ArrayLike<unknown>, scores: ArrayLike<number>, options: { positive?: Label } = {}): RocCurve {
  const what = "evaluate.rocCurve";
  checkLengths(yTrue, scores, what, ["yTrue", "scores"]);
  const { labels, t } = encode(yTrue, yTrue, what);
  const pos = options.positive ?? labels[sortLabels(labels)[labels.length - 1]];
  const c = labels.indexOf(pos);
  if (c < 0) throw new RangeError(`${what}: positive label ${JSON.stringify(pos)} is not in yTrue`);
  const isPos = new Uint8Array(t.length);
  for (let i = 0; i < t.length; i++) isPos[i] = t[i] === c ? 1 : 0;
  return rocCurveBinary(isPos, scores, what);
}

/** Line chart of a ROC curve with the chance diagonal. */
export function rocChart(yTrue: ArrayLike<unknown>, scores: ArrayLike<number>, options: { positive?: Label; title?: string } = {}): Spec {
  const curve = rocCurve(yTrue, scores, options);
  const values = curve.fpr.map((fpr, i) => ({ fpr, tpr: curve.tpr[i] }));
  return {
    $schema: SCHEMA, title: options.title ?? "ROC curve", width: 300, height: 300,
    layer: [
      { data: { values: [{ fpr: 0, tpr: 0 }, { fpr: 1, tpr: 1 }] }, mark: { type: "line", strokeDash: [4, 4], color: "#999" }, encoding: { x: { field: "fpr", type: "quantitative" }, y: { field: "tpr", type: "quantitative" } } },
      {
        data: { values }, mark: { type: "line", interpolate: "step-after" },
        encoding: {
          x: { field: "fpr", type: "quantitative", title: "false positive rate", scale: { domain: [0, 1] } },
          y: { field: "tpr", type: "quantitative", title: "true positive rate", scale: { domain: [0, 1] } },
          order: { field: "fpr" },
        },
      },
    ],
  };
}

/** Residuals (truth - prediction) against predictions, with a rule at zero. */
export function residualChart(yTrue: ArrayLike<unknown>, yPred: ArrayLike<unknown>, title = "residuals"): Spec {
  checkLengths(yTrue, yPred, "evaluate.residualChart");
  const values = Array.from({ length: yTrue.length }, (_, i) => ({ predicted: Number(yPred[i]), residual: Number(yTrue[i]) - Number(yPred[i]) }));
  return {
    $schema: SCHEMA, title, width: 360, height: 240,
    layer: [
      { data: { values }, mark: { type: "point", opacity: 0.6 }, encoding: { x: { field: "predicted", type: "quantitative" }, y: { field: "residual", type: "quantitative" } } },
      { data: { values: [{ zero: 0 }] }, mark: { type: "rule", color: "#c00" }, encoding: { y: { field: "zero", type: "quantitative" } } },
    ],
  };
}
