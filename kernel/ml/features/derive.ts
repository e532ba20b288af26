// features.derive: new columns from arquero expressions (strings or arrow functions over a row `d`).
import type { ColumnTable } from "arquero";

/**
 * `features.derive(table, { ratio: "d.a / d.b", logMass: (d) => op.log(d.mass) })`: arquero's
 * derive (so expressions may use `op.*` and must not capture outer variables; pass those via
 * `params`), kept as a named feature step for readability. Lineage follows through derive.
 */
export function derive(table: ColumnTable, values: Record<string, string | ((d: any, $: any) => unknown)>, params?: Record<string, unknown>): ColumnTable {
  const t = params ? (table.params(params) as ColumnTable) : table;
  return t.derive(values as never) as ColumnTable;
}
