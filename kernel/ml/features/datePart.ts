// features.datePart: calendar parts of a date column (year, month, day, weekday, hour, dayOfYear, isWeekend).
import type { ColumnTable } from "arquero";
import { registerReviver } from "../prep/base.js";
import { RowWise } from "./rowWise.js";

export type DatePart = "year" | "month" | "day" | "weekday" | "hour" | "dayOfYear" | "isWeekend";
export interface DatePartOptions {
  /** Parts to add (default all). */
  parts?: DatePart[];
  /** Use UTC fields (default true: CSV dates are UTC midnights); false uses the local time zone. */
  utc?: boolean;
  /** Prefix of the new columns (default `${column}_`). */
  prefix?: string;
}

const ALL: DatePart[] = ["year", "month", "day", "weekday", "hour", "dayOfYear", "isWeekend"];

function toDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  if (typeof v === "number" || typeof v === "string") {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

/**
 * Add one numeric column per part (missing dates give NaN). month is 1-12, weekday 0 = Monday
 * .. 6 = Sunday (pandas' dayofweek), dayOfYear 1-366, isWeekend 1 for Saturday and Sunday.
 * With a table, the columns are added now; with only a column name, the result is the same step
 * as a transformer for `prep.pipeline` (and so for a deployed bundle).
 */
export function datePart(table: ColumnTable, column: string, options?: DatePartOptions): ColumnTable;
export function datePart(column: string, options?: DatePartOptions): DatePartStep;
export function datePart(a: ColumnTable | string, b?: string | DatePartOptions, c?: DatePartOptions): ColumnTable | DatePartStep {
  if (typeof a === "string") return new DatePartStep(a, (b as DatePartOptions | undefined) ?? {});
  return addDateParts(a, b as string, c ?? {});
}

/** `features.datePart(column, options)` as a transformer: no state, its options are its JSON. */
export class DatePartStep extends RowWise {
  readonly type = "DatePart";
  constructor(readonly column: string, options: DatePartOptions = {}) {
    super({ column, ...options });
    if (typeof column !== "string") throw new TypeError("features.datePart: the column must be a name");
  }
  protected needs(): string[] { return [this.column]; }
  protected apply(table: ColumnTable): ColumnTable {
    const { column: _c, ...options } = this.options;
    return addDateParts(table, this.column, options as DatePartOptions);
  }
}
registerReviver("DatePart", (j) => {
  const { column, ...options } = j.options as unknown as DatePartOptions & { column: string };
  return new DatePartStep(column, options);
});

function addDateParts(table: ColumnTable, column: string, options: DatePartOptions): ColumnTable {
  if (!table.column(column)) throw new Error(`features.datePart: no column "${column}" (columns: ${table.columnNames().join(", ")})`);
  const parts = options.parts ?? ALL;
  for (const p of parts) if (!ALL.includes(p)) throw new Error(`features.datePart: unknown part "${p}" (${ALL.join(", ")})`);
  const utc = options.utc ?? true;
  const prefix = options.prefix ?? `${column}_`;
  const values = table.array(column) as unknown[];
  const out: Record<string, Float64Array> = {};
  for (const p of parts) out[prefix + p] = new Float64Array(values.length);
  values.forEach((v, i) => {
    const d = toDate(v);
    if (!d && v !== null && v !== undefined) throw new TypeError(`features.datePart: column "${column}" row ${i} is not a date: ${JSON.stringify(v)}`);
    const y = d ? (utc ? d.getUTCFullYear() : d.getFullYear()) : NaN;
    const m = d ? (utc ? d.getUTCMonth() : d.getMonth()) : NaN;
    const day = d ? (utc ? d.getUTCDate() : d.getDate()) : NaN;
    const wd = d ? ((utc ? d.getUTCDay() : d.getDay()) + 6) % 7 : NaN;
    for (const p of parts) {
      let x: number;
      switch (p) {
        case "year": x = y; break;
        case "month": x = m + 1; break;
        case "day": x = day; break;
        case "weekday": x = wd; break;
        case "hour": x = d ? (utc ? d.getUTCHours() : d.getHours()) : NaN; break;
        case "dayOfYear": x = d ? Math.round((Date.UTC(y, m, day) - Date.UTC(y, 0, 1)) / 86400000) + 1 : NaN; break;
        case "isWeekend": x = d ? (wd >= 5 ? 1 : 0) : NaN; break;
      }
      out[prefix + p][i] = x;
    }
  });
  return table.assign(out as unknown as Record<string, number[]>) as ColumnTable;
}
