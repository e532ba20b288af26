// Builds a partition table from row positions and tags its lineage (shared by the split verbs).
import type { ColumnTable } from "arquero";
import { ensureLineage, setPartition, type PartitionTag } from "../lineage.js";

/** A short name of what was split, for leakage messages: the root source(s) of the table. */
export function sourceName(table: ColumnTable): string {
  const names = new Set<string>();
  const walk = (l: ReturnType<typeof ensureLineage>): void => {
    if (l.source) names.add(l.source.name);
    l.parents.forEach(walk);
  };
  walk(ensureLineage(table));
  return [...names].join(" + ") || "table";
}

/** The rows at logical `positions` of `table` as a new table carrying the partition tag. */
export function partition(table: ColumnTable, positions: ArrayLike<number>, tag: PartitionTag): ColumnTable {
  const idx = table.indices();
  const physical = new Uint32Array(positions.length);
  for (let i = 0; i < physical.length; i++) physical[i] = idx[positions[i]];
  const child = table.ungroup().reify(physical as unknown as number[]) as ColumnTable;
  setPartition(child, table, positions, tag);
  return child;
}

/** Values of a column in logical row order, with an error naming the verb when it is missing. */
export function columnValues(table: ColumnTable, name: string, verb: string): unknown[] {
  if (!table.column(name)) throw new Error(`${verb}: no column "${name}" (columns: ${table.columnNames().join(", ")})`);
  return table.array(name) as unknown[];
}
