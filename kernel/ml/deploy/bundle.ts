// deploy.bundle: write a self-contained model folder (preprocessing, tfjs model, schema, reference, metrics, provenance).

import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ColumnTable } from "arquero";
import { context } from "../context.js";
import type { Transformer } from "../prep/base.js";
import type { Model } from "../train/trained.js";
import { referenceSample } from "./reference.js";
import { inferSchema, type Schema } from "./schema.js";

/** Format version of bundle.json; load refuses bundles it does not know. */
export const BUNDLE_VERSION = 1;

export interface BundleOptions {
  /** Fitted preprocessing applied to request rows before the model (a prep transformer or pipeline). */
  preprocess?: Transformer;
  model: Model;
  /** Input schema; inferred from `reference` (minus the target) when absent. */
  schema?: Schema;
  /** The raw training inputs (before preprocessing): schema inference and drift reference. */
  reference: ColumnTable;
  metrics?: Record<string, number>;
  /** Where the model came from: notebook, stage run, lock hashes... (kept as given). */
  provenance?: Record<string, unknown>;
  /** Rows of the reference kept for drift (default 5000). */
  referenceRows?: number;
}

/** The manifest (bundle.json): what is in the folder and how to read it. */
export interface BundleManifest {
  mlnb: "bundle";
  version: number;
  task: "classification" | "regression";
  kind: string;
  target: string;
  features: string[];
  labels?: (string | number | boolean)[];
  files: { preprocess: string | null; model: string; schema: string; reference: string; metrics: string; provenance: string };
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

/** The given provenance, plus the running stage and the mlnb version when not given (no clock time: bundles stay reproducible). */
function provenance(given: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { ...given };
  const stage = context().stage;
  if (stage && out.stage === undefined) out.stage = stage;
  if (out.mlnb === undefined) out.mlnb = MLNB_VERSION;
  return out;
}

const MLNB_VERSION = (JSON.parse(readFileSync(new URL("../../../../package.json", import.meta.url), "utf8")) as { version: string }).version;

/**
 * Move the finished folder `tmp` to `target`, replacing what is there: the old folder is renamed
 * away first, then `tmp` in. Another process deploying to the same folder at the same moment can put
 * its bundle in between; the move is then tried again (the last writer wins, neither fails).
 */
async function swapInto(tmp: string, target: string, parent: string): Promise<void> {
  const olds: string[] = [];
  try {
    for (let attempt = 1; ; attempt++) {
      const old = path.join(parent, `.${path.basename(target)}.old-${process.pid}-${randomBytes(6).toString("hex")}`);
      try {
        await rename(target, old);
        olds.push(old);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      }
      try {
        await rename(tmp, target);
        return;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (attempt >= 50 || (code !== "ENOTEMPTY" && code !== "EEXIST")) throw e;
      }
      // Writers that keep meeting each other step apart.
      await new Promise((r) => setTimeout(r, Math.random() * 10 * Math.min(attempt, 5)));
    }
  } finally {
    for (const old of olds) await rm(old, { recursive: true, force: true });
  }
}

/**
 * Write the bundle to `dir` atomically: everything goes to a temporary sibling folder which is
 * renamed into place at the end, so a reader never sees a half-written bundle. An existing
 * bundle at `dir` is replaced.
 */
export async function bundle(dir: string, opts: BundleOptions): Promise<BundleManifest> {
  const { model, reference } = opts;
  if (!model || typeof model.save !== "function") throw new Error("deploy.bundle: `model` must be a trained Model (from a train verb or train.load)");
  if (!reference || typeof reference.columnNames !== "function") throw new Error("deploy.bundle: `reference` must be the table of training inputs");
  const schema = opts.schema ?? inferSchema(reference, [model.target]);
  const inputs = schema.fields.map((f) => f.name);
  for (const c of inputs) if (!reference.columnNames().includes(c)) throw new Error(`deploy.bundle: schema field "${c}" is not a column of the reference table`);
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  await mkdir(parent, { recursive: true });
  // Unique per call: bundles written at once (same process, same millisecond) never share a folder.
  const tmp = path.join(parent, `.${path.basename(target)}.tmp-${process.pid}-${randomBytes(6).toString("hex")}`);
  const manifest: BundleManifest = {
    mlnb: "bundle",
    version: BUNDLE_VERSION,
    task: model.task,
    kind: model.kind,
    target: model.target,
    features: model.features,
    ...(model.labels ? { labels: model.labels } : {}),
    files: {
      preprocess: opts.preprocess ? "preprocess.json" : null,
      model: "model/model.json",
      schema: "schema.json",
      reference: "reference.json",
      metrics: "metrics.json",
      provenance: "provenance.json",
    },
  };
  try {
    await mkdir(tmp);
    if (opts.preprocess) await writeFile(path.join(tmp, "preprocess.json"), json(opts.preprocess.toJSON()));
    await model.save(path.join(tmp, "model"));
    await writeFile(path.join(tmp, "schema.json"), json(schema));
    await writeFile(path.join(tmp, "reference.json"), JSON.stringify(referenceSample(reference, inputs, opts.referenceRows)));
    await writeFile(path.join(tmp, "metrics.json"), json(opts.metrics ?? {}));
    await writeFile(path.join(tmp, "provenance.json"), json(provenance(opts.provenance)));
    await writeFile(path.join(tmp, "bundle.json"), json(manifest));
    await swapInto(tmp, target, parent);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw new Error(`deploy.bundle ${dir}: ${(e as Error).message}`);
  }
  return manifest;
}
