// deploy.load: read a bundle folder back into a predictor that takes JSON rows and returns predictions.

import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import * as aq from "arquero";
import { fromJSON, type Transformer } from "../prep/base.js";
import "../prep/index.js";
import "../features/index.js";
import { load as loadModel } from "../train/load.js";
import type { Model } from "../train/trained.js";
import { BUNDLE_VERSION, type BundleManifest } from "./bundle.js";
import type { ReferenceData } from "./reference.js";
import { dateValue, type Schema } from "./schema.js";

export interface Prediction {
  predictions: (string | number | boolean)[];
  /** Class probabilities per row, columns in `labels` order (classifiers only). */
  probabilities?: number[][];
  labels?: (string | number | boolean)[];
}

/** A loaded bundle: its schema and metadata, the drift reference, and predict on plain rows. */
export interface Predictor {
  schema: Schema;
  manifest: BundleManifest;
  metrics: Record<string, number>;
  provenance: Record<string, unknown>;
  reference: ReferenceData;
  /** Predict rows that already passed schema validation. */
  predict(rows: Record<string, unknown>[]): Prediction;
  /** Free the model's tensors. */
  dispose(): void;
}

async function readText(dir: string, file: string): Promise<string> {
  const p = path.join(dir, file);
  try {
    return await readFile(p, "utf8");
  } catch (e) {
    throw new Error(`deploy.load: cannot read ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function parseJson<T>(dir: string, file: string, text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new Error(`deploy.load: ${path.join(dir, file)} is not valid JSON: ${(e as Error).message}`);
  }
}

async function readJson<T>(dir: string, file: string): Promise<T> {
  return parseJson<T>(dir, file, await readText(dir, file));
}

function firstMax(row: number[]): number {
  let best = 0;
  for (let j = 1; j < row.length; j++) if (row[j] > row[best]) best = j;
  return best;
}

/** Make a predictor from parts already in memory (what load does after reading the files). */
export function predictor(parts: Omit<Predictor, "predict" | "dispose"> & { model: Model; preprocess?: Transformer }): Predictor {
  const { model, preprocess, schema } = parts;
  const names = schema.fields.map((f) => f.name);
  const dates = new Set(schema.fields.filter((f) => f.type === "date").map((f) => f.name));
  return {
    schema,
    manifest: parts.manifest,
    metrics: parts.metrics,
    provenance: parts.provenance,
    reference: parts.reference,
    predict(rows) {
      const cols: Record<string, unknown[]> = {};
      // date fields arrive as ISO strings (JSON, CSV): the preprocessing sees Dates, as in the notebook
      for (const n of names) cols[n] = dates.has(n) ? rows.map((r) => dateValue(r[n])) : rows.map((r) => r[n] ?? null);
      let table = aq.table(cols);
      if (preprocess) table = preprocess.transform(table);
      if (model.task !== "classification") return { predictions: model.predict(table) };
      // One pass through the network: labels are the first most probable class, as Model.predict picks them.
      const probabilities = model.predictProba(table);
      const labels = model.labels!;
      const predictions = probabilities.map((row) => labels[firstMax(row)]);
      return { predictions, probabilities, labels };
    },
    dispose() {
      model.dispose();
    },
  };
}

/**
 * Load the bundle written by deploy.bundle in `dir`. A bundle replaced while it is read (another
 * process deploying to the same folder renames the old one away, then the new one in) is read
 * again: a read never fails in that moment, nor mixes two bundles' files.
 */
export async function load(dir: string): Promise<Predictor> {
  const until = Date.now() + REREAD_MS;
  for (;;) {
    let loaded: { predictor: Predictor; manifestText: string };
    try {
      loaded = await loadOnce(dir);
    } catch (e) {
      if (Date.now() < until && /ENOENT/.test((e as Error).message) && (await beingReplaced(dir))) {
        await new Promise((r) => setTimeout(r, 10));
        continue;
      }
      throw e;
    }
    if (Date.now() >= until || (await readFile(path.join(dir, "bundle.json"), "utf8").catch(() => "")) === loaded.manifestText) return loaded.predictor;
    loaded.predictor.dispose();
  }
}

/** How long a bundle that keeps being replaced under a read is read again before the error stands. */
const REREAD_MS = 5000;

/** Whether `dir` is there again, or a replacement of it (deploy.bundle's `.NAME.tmp-*` / `.NAME.old-*` siblings) is under way. */
async function beingReplaced(dir: string): Promise<boolean> {
  const target = path.resolve(dir);
  const prefix = `.${path.basename(target)}.`;
  try {
    const names = await readdir(path.dirname(target));
    return names.includes(path.basename(target)) || names.some((n) => n.startsWith(prefix) && /\.(tmp|old)-\d+-[0-9a-f]+$/.test(n));
  } catch {
    return false;
  }
}

async function loadOnce(dir: string): Promise<{ predictor: Predictor; manifestText: string }> {
  const manifestText = await readText(dir, "bundle.json");
  const manifest = parseJson<BundleManifest>(dir, "bundle.json", manifestText);
  if (manifest.mlnb !== "bundle") throw new Error(`deploy.load: ${path.join(dir, "bundle.json")} is not an mlnb bundle manifest`);
  if (manifest.version > BUNDLE_VERSION) throw new Error(`deploy.load: bundle version ${manifest.version} is newer than this mlnb reads (${BUNDLE_VERSION})`);
  const f = manifest.files;
  const [schema, reference, metrics, provenance] = await Promise.all([
    readJson<Schema>(dir, f.schema),
    readJson<ReferenceData>(dir, f.reference),
    readJson<Record<string, number>>(dir, f.metrics),
    readJson<Record<string, unknown>>(dir, f.provenance),
  ]);
  const preprocess = f.preprocess ? fromJSON(await readJson(dir, f.preprocess)) : undefined;
  const model = await loadModel(path.join(dir, path.dirname(f.model)));
  return { predictor: predictor({ schema, manifest, metrics, provenance, reference, model, preprocess }), manifestText };
}
