// prep.dedupe: drop duplicate rows (whole rows or by key columns), keeping the first or last occurrence.
import type { ColumnTable } from "arquero";
import { registerReviver, type Transformer, type TransformerJSON } from "./base.js";

export interface DedupeOptions { keys?: string[]; keep?: "first" | "last" }

function keyOf(v: unknown): unknown {
  return v instanceof Date ? `d${v.getTime()}` : v;
}

/**
 * Stateless: nothing is learned, so `fit` sees no rows (and cannot leak); `transform` keeps one
 * row per distinct key in table order.
 */
export class Dedupe implements Transformer {
  readonly type = "Dedupe";
  constructor(readonly options: DedupeOptions = {}) {
    if (options.keep && options.keep !== "first" && options.keep !== "last") throw new Error(`dedupe: keep must be "first" or "last", got "${options.keep}"`);
  }
  fit(): this { return this; }
  fitTransform(table: ColumnTable): ColumnTable { return this.transform(table); }

  transform(table: ColumnTable): ColumnTable {
    const keys = this.options.keys ?? table.columnNames();
    for (const k of keys) if (!table.column(k)) throw new Error(`dedupe: no key column "${k}" (columns: ${table.columnNames().join(", ")})`);
    const cols = keys.map((k) => table.array(k) as ArrayLike<unknown>);
    const n = table.numRows();
    const chosen = new Map<string, number>();
    const last = this.options.keep === "last";
    for (let i = 0; i < n; i++) {
      const key = cols.length === 1 ? String(typeof cols[0][i]) + "\u0000" + String(keyOf(cols[0][i])) : JSON.stringify(cols.map((c) => keyOf(c[i])));
      if (last || !chosen.has(key)) chosen.set(key, i);
    }
    const positions = Uint32Array.from(chosen.values()).sort();
    const idx = table.indices();
    const physical = Array.from(positions, (p) => idx[p]);
    return table.ungroup().reify(physical) as ColumnTable;
  }

  toJSON(): TransformerJSON { return { type: this.type, options: { ...this.options }, state: null }; }
}

/** A dedupe step (whole rows by default). */
export function dedupe(options?: DedupeOptions): Dedupe { return new Dedupe(options); }
registerReviver("Dedupe", (j) => new Dedupe(j.options as DedupeOptions));
