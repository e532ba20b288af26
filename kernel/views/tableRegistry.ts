// The tables a kernel has shown, kept by ref so a viewer can ask for any page of them (bounded: the oldest are dropped).
import { fromRecords, isRecordList, pageOf, tablePayload, type ColumnarTable, type SortSpec, type TablePage, type TablePayload } from "./tableModel.js";

interface ArqueroLike {
  numRows(): number;
  columnNames(): string[];
  array(name: string): ArrayLike<unknown>;
}

interface Entry {
  table: ColumnarTable;
  orders: Map<string, Uint32Array>;
}

/** How many shown tables stay pageable; a page request for an older one says to run the cell again. */
export const KEPT_TABLES = 24;
const kept = new Map<string, Entry>();
let counter = 0;

/** True for an arquero table (duck-typed). */
function isArquero(value: unknown): value is ArqueroLike {
  const v = value as Partial<ArqueroLike> | null;
  return !!v && typeof v === "object" && typeof v.numRows === "function" && typeof v.columnNames === "function" && typeof v.array === "function";
}

/** An arquero table (filtered and ordered as it is) or a list of records as columns; else undefined. */
export function columnarOf(value: unknown): ColumnarTable | undefined {
  if (isArquero(value)) {
    const names = value.columnNames();
    return { names, numRows: value.numRows(), columns: names.map((n) => value.array(n)) };
  }
  if (isRecordList(value)) return fromRecords(value);
  return undefined;
}

/** Keep a table under `ref` (a new one when omitted) and return the ref. */
export function keepTable(table: ColumnarTable, ref = `t${++counter}-${process.pid}`): string {
  kept.delete(ref);
  kept.set(ref, { table, orders: new Map() });
  while (kept.size > KEPT_TABLES) kept.delete(kept.keys().next().value!);
  return ref;
}

/** The table kept under `ref`, if it still is. */
export function keptTable(ref: string): ColumnarTable | undefined {
  return kept.get(ref)?.table;
}

/** The mime payload for a value that is a table (kept for paging when it does not ship whole). */
export function liveTablePayload(value: unknown): TablePayload | undefined {
  const table = columnarOf(value);
  if (!table) return undefined;
  const payload = tablePayload(table);
  return payload.complete ? payload : { ...payload, ref: keepTable(table) };
}

/** A page of a kept table; throws a message a viewer can show when the table is gone. */
export function tablePage(ref: string, request: { offset: number; limit: number; sort?: SortSpec }): TablePage & { ref: string } {
  const entry = kept.get(ref);
  if (!entry) throw new Error(`the kernel no longer holds this table (it restarted, or ${KEPT_TABLES} newer tables were shown): run its cell again to page through it`);
  // Touch: a table being paged stays kept.
  kept.delete(ref);
  kept.set(ref, entry);
  return { ref, ...pageOf(entry.table, request, entry.orders) };
}
