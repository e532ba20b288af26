// The fitted-transformer contract of prep (fit/transform/toJSON), its leakage hooks and the JSON reviver registry.
import type { ColumnTable } from "arquero";
import { checkLeakage, checkTransform, type Lineage } from "../lineage.js";

/** Serialised form of any transformer: `prep.fromJSON` rebuilds it. */
export interface TransformerJSON {
  type: string;
  options: Record<string, unknown>;
  state: Record<string, unknown> | null;
}

/** What every prep transformer (and feature transformer) offers. */
export interface Transformer {
  readonly type: string;
  fit(table: ColumnTable): this;
  transform(table: ColumnTable): ColumnTable;
  fitTransform(table: ColumnTable): ColumnTable;
  toJSON(): TransformerJSON;
}

const revivers = new Map<string, (json: TransformerJSON) => Transformer>();

/** Register how to rebuild a transformer type from its JSON (each transformer file does this once). */
export function registerReviver(type: string, revive: (json: TransformerJSON) => Transformer): void {
  revivers.set(type, revive);
}

/** Rebuild any transformer (or columns/pipeline of them) from `toJSON()` output. */
export function fromJSON(json: TransformerJSON | string): Transformer {
  const j: TransformerJSON = typeof json === "string" ? JSON.parse(json) : json;
  const revive = j && revivers.get(j.type);
  if (!revive) throw new Error(`prep.fromJSON: unknown transformer type "${j?.type}" (known: ${[...revivers.keys()].join(", ")})`);
  return revive(j);
}

/**
 * Base of the fitted transformers: `fit` runs the leakage guard and remembers the lineage of
 * the rows it saw; `transform` refuses to run unfitted and checks it is not applied to test
 * rows the fit saw. Subclasses implement `learn` and `apply`.
 */
export abstract class Fitted<S extends Record<string, unknown>> implements Transformer {
  abstract readonly type: string;
  protected state: S | null = null;
  /** Lineage of the table `fit` saw (absent on a revived transformer). */
  fittedOn?: Lineage;

  constructor(readonly options: Record<string, unknown> = {}) {}

  protected abstract learn(table: ColumnTable): S;
  protected abstract apply(table: ColumnTable, state: S): ColumnTable;

  fit(table: ColumnTable): this {
    this.fittedOn = checkLeakage(table, `${this.type}.fit`);
    this.state = this.learn(table);
    return this;
  }

  transform(table: ColumnTable): ColumnTable {
    if (!this.state) throw new Error(`${this.type}.transform: not fitted (call fit(trainTable) first)`);
    checkTransform(this.fittedOn, table, `${this.type}.transform`);
    return this.apply(table, this.state);
  }

  fitTransform(table: ColumnTable): ColumnTable {
    return this.fit(table).transform(table);
  }

  /** The learned state (means, categories, ...), or null before fit. */
  get fitted(): S | null {
    return this.state;
  }

  toJSON(): TransformerJSON {
    return { type: this.type, options: { ...this.options }, state: this.state ? (encodeState(this.state) as Record<string, unknown>) : null };
  }

  /** Restore a learned state (used by revivers). */
  restore(state: Record<string, unknown> | null): this {
    this.state = state ? (decodeState(state) as S) : null;
    return this;
  }
}

// JSON has no NaN/Infinity: encode them as strings so a revived transformer is exact
function encodeState(v: unknown): unknown {
  if (typeof v === "number" && !Number.isFinite(v)) return { $num: String(v) };
  if (Array.isArray(v)) return v.map(encodeState);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encodeState(x)]));
  return v;
}
function decodeState(v: unknown): unknown {
  if (v && typeof v === "object" && !Array.isArray(v) && "$num" in v) return Number((v as { $num: string }).$num);
  if (Array.isArray(v)) return v.map(decodeState);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decodeState(x)]));
  return v;
}
