// features.interactions: pairwise products of chosen numeric columns, named `a_x_b` (now, or as a pipeline step).
import type { ColumnTable } from "arquero";
import { registerReviver } from "../prep/base.js";
import { product } from "./products.js";
import { RowWise } from "./rowWise.js";

export interface InteractionsOptions { separator?: string }

/**
 * Add the product of every pair of `columns` (i < j), in pair order. Without a table,
 * `features.interactions(columns, options)` is the same step as a transformer.
 */
export function interactions(table: ColumnTable, columns: string[], options?: InteractionsOptions): ColumnTable;
export function interactions(columns: string[], options?: InteractionsOptions): InteractionsStep;
export function interactions(a: ColumnTable | string[], b?: string[] | InteractionsOptions, c?: InteractionsOptions): ColumnTable | InteractionsStep {
  if (Array.isArray(a)) return new InteractionsStep(a, (b as InteractionsOptions | undefined) ?? {});
  return addInteractions(a, b as string[], c ?? {});
}

function addInteractions(table: ColumnTable, columns: string[], options: InteractionsOptions): ColumnTable {
  if (columns.length < 2) throw new Error("features.interactions: needs at least two columns");
  const sep = options.separator ?? "_x_";
  const out: Record<string, Float64Array> = {};
  for (let i = 0; i < columns.length; i++) {
    for (let j = i + 1; j < columns.length; j++) out[`${columns[i]}${sep}${columns[j]}`] = product(table, columns[i], columns[j], "features.interactions");
  }
  return table.assign(out as unknown as Record<string, number[]>) as ColumnTable;
}

/** Pairwise products as a transformer (no state; columns and separator are its JSON). */
export class InteractionsStep extends RowWise {
  readonly type = "Interactions";
  constructor(readonly columns: string[], options: InteractionsOptions = {}) {
    super({ columns, ...options });
    if (columns.length < 2) throw new Error("features.interactions: needs at least two columns");
  }
  protected needs(): string[] { return this.columns; }
  protected apply(table: ColumnTable): ColumnTable {
    return addInteractions(table, this.columns, this.options as InteractionsOptions);
  }
}
registerReviver("Interactions", (j) => {
  const { columns, ...options } = j.options as unknown as InteractionsOptions & { columns: string[] };
  return new InteractionsStep(columns, options);
});
