// A real trained pipeline for the deploy and serve tests: prep + logistic regression on the penguins data.
import { readFileSync, rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import * as aq from "arquero";
import { fileURLToPath } from "node:url";
import * as prep from "../../../../kernel/ml/prep/index.js";
import { train } from "../../../../kernel/ml/train/index.js";
import { bundle } from "../../../../kernel/ml/deploy/index.js";

const ROOT = fileURLToPath(new URL(import.meta.url.includes("/out/") ? "../../../../../" : "../../../../", import.meta.url));
export const NUMERIC = ["Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)"];

/** The penguins rows as in vega-datasets. */
export function penguinRows(): Record<string, unknown>[] {
  return JSON.parse(readFileSync(path.join(ROOT, "node_modules/vega-datasets/data/penguins.json"), "utf8"));
}

/** Train the pipeline and write its bundle to a fresh temporary folder; returns the folder and the parts. */
export async function penguinBundle() {
  const rows = penguinRows();
  const table = aq.from(rows);
  const preprocess = prep.pipeline([
    prep.simpleImputer({ strategy: "median", columns: NUMERIC }),
    prep.simpleImputer({ strategy: "most_frequent", columns: ["Sex"] }),
    prep.oneHotEncoder({ columns: ["Island", "Sex"] }),
    prep.standardScaler({ columns: NUMERIC }),
  ]);
  const prepared = preprocess.fitTransform(table);
  const model = await train.logisticRegression(prepared, { target: "Species", epochs: 15, seed: 1, progress: false });
  const parent = await mkdtemp(path.join(tmpdir(), "mlnb-bundle-"));
  process.once("exit", () => rmSync(parent, { recursive: true, force: true }));
  const dir = path.join(parent, "penguins");
  await bundle(dir, { preprocess, model, reference: table, metrics: { accuracy: 0.97 }, provenance: { notebook: "penguins.mlnb", stage: "train" } });
  return { dir, rows, table, preprocess, model, prepared };
}
