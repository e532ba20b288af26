// Table paging for the live table renderer and the stored-table viewer: column types, null counts, sort, pages (pure, runs in Node and in webviews).

/** The mime type of mlnb's own table output (the HTML preview stays beside it for other viewers). */
export const TABLE_MIME = "application/vnd.mlnb.table+json";

/** A JSON-safe cell value as shipped to a viewer. */
export type Cell = string | number | boolean | null;

/** A table as columns: what the kernel keeps of an arquero table or a list of records. */
export interface ColumnarTable {
  names: string[];
  columns: ArrayLike<unknown>[];
  numRows: number;
}

export interface ColumnInfo {
  name: string;
  /** number, string, boolean, date, object, mixed (several), or empty (only nulls). */
  type: string;
  /** null, undefined and NaN count as missing. */
  nulls: number;
}

export interface SortSpec {
  column: string;
  descending?: boolean;
}

/** One page of rows (`rows[i]` is row `offset + i` in the sorted order). */
export interface TablePage {
  offset: number;
  numRows: number;
  rows: Cell[][];
  sort?: SortSpec;
}

/** The payload of a `TABLE_MIME` output: the schema, the first page or all rows, and where to ask for more. */
export interface TablePayload extends TablePage {
  columns: ColumnInfo[];
  pageSize: number;
  /** True when `rows` holds every row: the viewer pages and sorts on its own. */
  complete: boolean;
  /** The kernel's handle for asking further pages (`tablePage` command). */
  ref?: string;
}

/** Tables up to this many rows ship whole; larger ones ship one page and a ref. */
export const INLINE_MAX_ROWS = 500;
export const DEFAULT_PAGE_SIZE = 25;

const isMissing = (v: unknown) => v === null || v === undefined || (typeof v === "number" && Number.isNaN(v));

/** True for a non-empty array of plain objects (a list of records such as `metrics.perClass`). */
export function isRecordList(value: unknown): value is Record<string, unknown>[] {
  if (!Array.isArray(value) || value.length === 0) return false;
  return value.every((r) => r !== null && typeof r === "object" && !Array.isArray(r) && (Object.getPrototypeOf(r) === Object.prototype || Object.getPrototypeOf(r) === null));
}

/** Records as columns; the columns are every key of any record, in order of first appearance. */
export function fromRecords(records: readonly Record<string, unknown>[]): ColumnarTable {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const r of records) for (const k of Object.keys(r)) if (!seen.has(k)) (seen.add(k), names.push(k));
  return { names, numRows: records.length, columns: names.map((n) => records.map((r) => r[n])) };
}

/** Rows as shipped (arrays of cells) back into columns, for a viewer holding a whole table. */
export function fromRows(names: string[], rows: readonly Cell[][]): ColumnarTable {
  return { names, numRows: rows.length, columns: names.map((_, c) => rows.map((r) => r[c] ?? null)) };
}

/** Each column's type and missing-value count, over every row. */
export function describeColumns(t: ColumnarTable): ColumnInfo[] {
  return t.names.map((name, c) => {
    const col = t.columns[c]!;
    let nulls = 0;
    const types = new Set<string>();
    for (let i = 0; i < t.numRows; i++) {
      const v = col[i];
      if (isMissing(v)) nulls++;
      else types.add(typeOf(v));
    }
    return { name, type: types.size === 0 ? "empty" : types.size === 1 ? [...types][0]! : "mixed", nulls };
  });
}

function typeOf(v: unknown): string {
  if (typeof v === "number" || typeof v === "bigint") return "number";
  if (v instanceof Date) return "date";
  if (typeof v === "string" || typeof v === "boolean") return typeof v;
  return "object";
}

/** A value as a viewer cell: dates as ISO text, bigints and objects as text, NaN as null. */
export function toCell(v: unknown): Cell {
  if (isMissing(v)) return null;
  if (typeof v === "number") return Number.isFinite(v) ? v : String(v);
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "bigint") return v.toString();
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  try {
    const text = JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : ArrayBuffer.isView(x) ? Array.from(x as unknown as ArrayLike<number>) : x));
    return text === undefined ? String(v) : text.length > 200 ? `${text.slice(0, 199)}…` : text;
  } catch {
    return String(v);
  }
}

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === typeof b && (typeof a === "string" || typeof a === "boolean" || typeof a === "bigint")) return a < (b as typeof a) ? -1 : a > (b as typeof a) ? 1 : 0;
  // Mixed types: order by type name, then by text.
  const ta = typeOf(a);
  const tb = typeOf(b);
  if (ta !== tb) return ta < tb ? -1 : 1;
  const sa = String(toCell(a));
  const sb = String(toCell(b));
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * Row order for a sort: stable (ties keep table order), missing values last in either
 * direction. Throws naming the column when the table has no such column.
 */
export function sortOrder(t: ColumnarTable, sort: SortSpec): Uint32Array {
  const c = t.names.indexOf(sort.column);
  if (c < 0) throw new Error(`no column "${sort.column}" in the table (columns: ${t.names.join(", ")})`);
  const col = t.columns[c]!;
  const order = new Uint32Array(t.numRows);
  for (let i = 0; i < order.length; i++) order[i] = i;
  const sign = sort.descending ? -1 : 1;
  return order.sort((i, j) => {
    const a = col[i];
    const b = col[j];
    const ma = isMissing(a);
    const mb = isMissing(b);
    if (ma || mb) return ma && mb ? i - j : ma ? 1 : -1;
    return sign * compareValues(a, b) || i - j;
  });
}

/**
 * Rows `offset .. offset+limit` of the table, in the sorted order when `sort` is given. `orders`
 * caches sort orders between pages (keyed by column and direction). The offset is clamped.
 */
export function pageOf(t: ColumnarTable, request: { offset: number; limit: number; sort?: SortSpec }, orders?: Map<string, Uint32Array>): TablePage {
  const limit = Math.max(0, Math.min(Math.floor(request.limit), 10_000));
  const offset = Math.max(0, Math.min(Math.floor(request.offset), Math.max(0, t.numRows - 1)));
  let order: Uint32Array | undefined;
  if (request.sort) {
    const key = `${request.sort.descending ? "-" : "+"}${request.sort.column}`;
    order = orders?.get(key) ?? sortOrder(t, request.sort);
    orders?.set(key, order);
  }
  const end = Math.min(t.numRows, offset + limit);
  const rows: Cell[][] = [];
  for (let i = offset; i < end; i++) {
    const row = order ? order[i]! : i;
    rows.push(t.columns.map((col) => toCell(col[row])));
  }
  return { offset, numRows: t.numRows, rows, ...(request.sort ? { sort: request.sort } : {}) };
}

/** The output payload: schema, and every row when the table is small, else the first page and `ref`. */
export function tablePayload(t: ColumnarTable, options: { ref?: string; pageSize?: number; inlineMax?: number } = {}): TablePayload {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const complete = t.numRows <= (options.inlineMax ?? INLINE_MAX_ROWS);
  const first = pageOf(t, { offset: 0, limit: complete ? t.numRows : pageSize });
  return { ...first, columns: describeColumns(t), pageSize, complete, ...(options.ref ? { ref: options.ref } : {}) };
}
