// prep.pipeline: chain transformers, each fitted on the previous one's output (scikit-learn's Pipeline).
import type { ColumnTable } from "arquero";
import { fromJSON, registerReviver, type Transformer, type TransformerJSON } from "./base.js";

/** Steps run in order; a failing step's error is prefixed with its position and type. */
export class Pipeline implements Transformer {
  readonly type = "Pipeline";
  constructor(readonly steps: Transformer[]) {
    steps.forEach((s, i) => {
      if (!s || typeof s.fit !== "function" || typeof s.transform !== "function") throw new TypeError(`prep.pipeline: step ${i} has no fit/transform`);
    });
  }

  private run<T>(i: number, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof Error && e.name !== "DataLeakageError") e.message = `pipeline step ${i} (${this.steps[i].type}): ${e.message}`;
      throw e;
    }
  }

  fit(table: ColumnTable): this {
    let cur = table;
    this.steps.forEach((s, i) => {
      cur = this.run(i, () => (i < this.steps.length - 1 ? s.fitTransform(cur) : (s.fit(cur), cur)));
    });
    return this;
  }

  transform(table: ColumnTable): ColumnTable {
    return this.steps.reduce((cur, s, i) => this.run(i, () => s.transform(cur)), table);
  }

  fitTransform(table: ColumnTable): ColumnTable {
    return this.fit(table).transform(table);
  }

  toJSON(): TransformerJSON {
    return { type: this.type, options: {}, state: { steps: this.steps.map((s) => s.toJSON()) } };
  }
}

/** `prep.pipeline([prep.simpleImputer(), prep.standardScaler()])`. */
export function pipeline(steps: Transformer[]): Pipeline {
  return new Pipeline(steps);
}
registerReviver("Pipeline", (j) => new Pipeline((j.state as { steps: TransformerJSON[] }).steps.map(fromJSON)));
