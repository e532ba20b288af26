// The Model a train verb returns: predict / predictProba on tables, save, dispose (with its optimiser).
import path from "node:path";
import type { ColumnTable } from "arquero";
import { tf } from "../tf.js";
import { featureMatrix, type Label } from "./data.js";
import type { History } from "./loop.js";

/** Which train verb made a model. */
export type ModelKind = "logisticRegression" | "linearRegression" | "mlpClassifier" | "mlpRegressor" | "model";

/** What a saved model needs besides its weights (kept in model.json's userDefinedMetadata). */
export interface ModelMeta {
  kind: ModelKind;
  task: "classification" | "regression";
  target: string;
  features: string[];
  labels?: Label[];
  history: History;
  seed: number;
  /** Epoch (0-based) at which early stopping ended training, if it did. */
  stoppedEpoch?: number;
}

const CHUNK = 16384;

/** A trained model over named table columns. */
export class Model {
  readonly kind: ModelKind;
  readonly task: "classification" | "regression";
  readonly target: string;
  readonly features: string[];
  /** Class labels in output order (sorted, as scikit-learn's classes_); undefined for regressors. */
  readonly labels?: Label[];
  readonly history: History;
  readonly seed: number;
  readonly stoppedEpoch?: number;
  private disposed = false;

  constructor(readonly network: tf.LayersModel, meta: ModelMeta, private optimizer?: tf.Optimizer) {
    this.kind = meta.kind;
    this.task = meta.task;
    this.target = meta.target;
    this.features = meta.features;
    this.labels = meta.labels;
    this.history = meta.history;
    this.seed = meta.seed;
    this.stoppedEpoch = meta.stoppedEpoch;
  }

  /** Predicted labels (classifiers) or values (regressors), one per row of `table`. */
  predict(table: ColumnTable): Label[] | number[] {
    const out = this.outputs(table, "predict");
    if (this.task === "regression") return Array.from(out.values);
    const labels = this.labels!;
    const proba = this.probaRows(out);
    return proba.map((row) => labels[argMax(row)]);
  }

  /** Class probabilities, one row per table row, columns in `labels` order (classifiers only). */
  predictProba(table: ColumnTable): number[][] {
    if (this.task !== "classification") throw new Error(`${this.kind}.predictProba: a regressor has no class probabilities`);
    return this.probaRows(this.outputs(table, "predictProba"));
  }

  /** Save as model.json + weights.bin in `dir` (created if missing); `train.load(dir)` restores it. */
  async save(dir: string): Promise<void> {
    this.check("save");
    const meta: ModelMeta = {
      kind: this.kind, task: this.task, target: this.target, features: this.features, labels: this.labels,
      history: this.history, seed: this.seed, stoppedEpoch: this.stoppedEpoch,
    };
    // a JSON round trip drops undefined fields, which tfjs's plain-object check rejects
    const previous = this.network.getUserDefinedMetadata();
    this.network.setUserDefinedMetadata({ mlnb: JSON.parse(JSON.stringify(meta)) as unknown });
    try {
      await this.network.save(`file://${path.resolve(dir)}`);
    } finally {
      // Saving must not change the model: a stage that saves a model it did not train would
      // otherwise change a value its upstream stage owns (and its hash).
      (this.network as unknown as { userDefinedMetadata: unknown }).userDefinedMetadata = previous;
    }
  }

  /** Free the network's weights and the optimiser's slots (Adam's moments are tensors too). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.network.dispose();
    this.optimizer?.dispose();
    this.optimizer = undefined;
  }

  private check(verb: string): void {
    if (this.disposed) throw new Error(`${this.kind}.${verb}: the model was disposed`);
  }

  private outputs(table: ColumnTable, verb: string): { values: Float32Array; width: number } {
    this.check(verb);
    const x = featureMatrix(table, this.features, `${this.kind}.${verb}`);
    const n = table.numRows();
    const d = this.features.length;
    const parts: Float32Array[] = [];
    let width = 1;
    for (let s = 0; s < n; s += CHUNK) {
      const m = Math.min(CHUNK, n - s);
      const y = tf.tidy(() => this.network.predict(tf.tensor2d(x.subarray(s * d, (s + m) * d), [m, d])) as tf.Tensor2D);
      width = y.shape[1];
      parts.push(y.dataSync() as Float32Array);
      y.dispose();
    }
    const values = new Float32Array(n * width);
    let at = 0;
    for (const p of parts) { values.set(p, at); at += p.length; }
    return { values, width };
  }

  private probaRows({ values, width }: { values: Float32Array; width: number }): number[][] {
    const rows: number[][] = [];
    const n = values.length / width;
    for (let i = 0; i < n; i++) {
      // one sigmoid unit: the probability of the second (positive) label
      rows.push(width === 1 ? [1 - values[i], values[i]] : Array.from(values.subarray(i * width, (i + 1) * width)));
    }
    return rows;
  }
}

function argMax(row: number[]): number {
  let best = 0;
  for (let j = 1; j < row.length; j++) if (row[j] > row[best]) best = j;
  return best;
}
