// arquero tables <-> Arrow IPC (stream format) via arquero's toArrowIPC / fromArrow.
import * as aq from "arquero";
import type { Codec, CodecOutput } from "./types.js";

type Table = aq.ColumnTable;

function isTable(value: unknown): value is Table {
  if (value instanceof aq.Table) return true;
  // A second copy of arquero (another node_modules) still makes tables of the same shape.
  const v = value as Partial<Record<"numRows" | "numCols" | "columnNames" | "scan" | "reify", unknown>> | null;
  return typeof v === "object" && v !== null && [v.numRows, v.numCols, v.columnNames, v.scan, v.reify].every((f) => typeof f === "function");
}

/**
 * Tables are stored as Arrow IPC. Filters and row order are applied (the stored table holds
 * the visible rows in order); groupings are kept by name and restored with `groupby`.
 */
export const tableCodec: Codec<Table> = {
  kind: "table",
  accepts: isTable,
  encode(table): CodecOutput {
    const groups = table.isGrouped() ? [...(table.groups() as { names: string[] }).names] : [];
    const bytes = aq.toArrowIPC(table, { format: "stream" });
    return {
      shape: `${table.numRows()}×${table.numCols()}`,
      parts: [{ name: "table.arrow", bytes }],
      meta: groups.length ? { groupby: groups } : {},
    };
  },
  decode(parts, meta) {
    const bytes = parts.get("table.arrow");
    if (!bytes) throw new Error("table codec: missing part table.arrow");
    const table = aq.fromArrow(bytes);
    const groupby = meta.groupby as string[] | undefined;
    return groupby?.length ? (table.groupby(...groupby) as Table) : table;
  },
};
