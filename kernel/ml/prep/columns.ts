// prep.columns: apply transformers to column groups of one table (scikit-learn's ColumnTransformer).
import type { ColumnTable } from "arquero";
import { fromJSON, registerReviver, type Transformer, type TransformerJSON } from "./base.js";

export type ColumnGroups = Record<string, [string[], Transformer]>;
export interface ColumnsOptions { remainder?: "passthrough" | "drop" }

/**
 * Each named group's transformer is fitted on (and applied to) only its columns; its output
 * columns take the place of the group's first column. Other columns pass through (default) or
 * are dropped.
 */
export class ColumnTransformer implements Transformer {
  readonly type = "ColumnTransformer";
  constructor(readonly groups: ColumnGroups, readonly options: ColumnsOptions = {}) {
    const owner = new Map<string, string>();
    for (const [name, [cols]] of Object.entries(groups)) {
      for (const c of cols) {
        if (owner.has(c)) throw new Error(`prep.columns: column "${c}" is in groups "${owner.get(c)}" and "${name}"`);
        owner.set(c, name);
      }
    }
  }

  private pick(table: ColumnTable, cols: string[], group: string, verb: string): ColumnTable {
    for (const c of cols) if (!table.column(c)) throw new Error(`prep.columns ${verb}: group "${group}" needs column "${c}" (columns: ${table.columnNames().join(", ")})`);
    return table.select(cols) as ColumnTable;
  }

  fit(table: ColumnTable): this {
    for (const [name, [cols, t]] of Object.entries(this.groups)) t.fit(this.pick(table, cols, name, "fit"));
    return this;
  }

  transform(table: ColumnTable): ColumnTable {
    const out: Record<string, ArrayLike<unknown>> = {};
    const replace = new Map<string, string[]>();
    const grouped = new Set<string>();
    for (const [name, [cols, t]] of Object.entries(this.groups)) {
      const part = t.transform(this.pick(table, cols, name, "transform"));
      const names = part.columnNames();
      for (const c of names) out[c] = part.array(c) as ArrayLike<unknown>;
      cols.forEach((c) => grouped.add(c));
      replace.set(cols[0], names);
    }
    const keep = this.options.remainder === "drop" ? [] : table.columnNames().filter((c) => !grouped.has(c));
    const order = table.columnNames().flatMap((c) => replace.get(c) ?? (keep.includes(c) ? [c] : []));
    const base = table.select(table.columnNames().filter((c) => !grouped.has(c))) as ColumnTable;
    return base.assign(out as Record<string, unknown[]>).select(order) as ColumnTable;
  }

  fitTransform(table: ColumnTable): ColumnTable {
    return this.fit(table).transform(table);
  }

  toJSON(): TransformerJSON {
    const groups = Object.entries(this.groups).map(([name, [columns, t]]) => ({ name, columns, transformer: t.toJSON() }));
    return { type: this.type, options: { ...this.options }, state: { groups } };
  }
}

/** `prep.columns({ num: [["a", "b"], prep.standardScaler()], cat: [["c"], prep.oneHotEncoder()] }, { remainder })`. */
export function columns(groups: ColumnGroups, options?: ColumnsOptions): ColumnTransformer {
  return new ColumnTransformer(groups, options);
}
registerReviver("ColumnTransformer", (j) => {
  const groups: ColumnGroups = {};
  for (const g of (j.state as { groups: { name: string; columns: string[]; transformer: TransformerJSON }[] }).groups) {
    groups[g.name] = [g.columns, fromJSON(g.transformer)];
  }
  return new ColumnTransformer(groups, j.options as ColumnsOptions);
});
