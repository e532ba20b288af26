// End to end on real data (vega-datasets penguins): split, scale on train, MLP, evaluate, gate.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as aq from "arquero";
import type { ColumnTable } from "arquero";
import { train } from "../../../../kernel/ml/train/index.js";
import { evaluate } from "../../../../kernel/ml/evaluate/index.js";
import { split } from "../../../../kernel/ml/split/index.js";

const ROOT = fileURLToPath(new URL(import.meta.url.includes("/out/") ? "../../../../../" : "../../../../", import.meta.url));
const FEATURES = ["Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)"];

/** z-score the features with the statistics of `fit` (the train partition) only. */
function scale(fit: ColumnTable, t: ColumnTable): ColumnTable {
  const stats: Record<string, { mean: number; sd: number }> = {};
  for (const f of FEATURES) {
    const v = fit.array(f) as number[];
    const mean = v.reduce((s, x) => s + x, 0) / v.length;
    stats[f] = { mean, sd: Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length) };
  }
  const cols: Record<string, unknown[]> = { Species: t.array("Species") as unknown[] };
  for (const f of FEATURES) cols[f] = (t.array(f) as number[]).map((x) => (x - stats[f].mean) / stats[f].sd);
  return aq.table(cols);
}

describe("penguins", () => {
  it("classifies penguin species with an MLP above 95% accuracy on a held-out split", async () => {
    const rows = (JSON.parse(readFileSync(`${ROOT}node_modules/vega-datasets/data/penguins.json`, "utf8")) as Record<string, unknown>[])
      .filter((r) => FEATURES.every((f) => typeof r[f] === "number"));
    const all = aq.from(rows).select("Species", ...FEATURES);
    const parts = split.trainTestSplit(all, { seed: 1, stratify: "Species" });
    const model = await train.mlpClassifier(scale(parts.train, parts.train), { target: "Species", layers: [16], epochs: 40, learningRate: 0.01, seed: 1, progress: false });
    const test = scale(parts.train, parts.test);
    const yTrue = test.array("Species") as string[];
    const m = evaluate.classification(yTrue, model.predict(test) as string[], { scores: model.predictProba(test), labels: model.labels });
    assert.deepEqual(m.labels, ["Adelie", "Chinstrap", "Gentoo"]);
    assert.equal(m.n, parts.test.numRows());
    evaluate.gate(m, { accuracy: ">= 0.95", f1: ">= 0.9", rocAuc: ">= 0.98" });
    model.dispose();
  });
});
