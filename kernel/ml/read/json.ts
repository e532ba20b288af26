// read.json: a JSON array of records (or {columns: arrays}) into a table; ISO date strings become dates.
import * as aq from "arquero";
import type { ColumnTable } from "arquero";
import { ReadError, jsonErrorOffset, lineColumn } from "./errors.js";
import { finishFile, loadFile } from "./source.js";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Parse JSON text, turning a syntax error into a ReadError with line and column. */
export function parseJSONText(text: string, source: string, lineOffset = 0): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const offset = m ? Number(m[1]) : jsonErrorOffset(text);
    const at = offset >= 0 ? lineColumn(text, offset) : undefined;
    const reason = (e as Error).message.replace(/ in JSON at position \d+.*$/, "").replace(/, ".*" is not valid JSON$/s, "").replace(/\s*\(line \d+ column \d+\)$/, "");
    throw new ReadError(source, `invalid JSON: ${reason}`, at ? at.line + lineOffset : lineOffset || undefined, at?.column);
  }
}

/** Records (objects) to a table; columns whose every non-null value is an ISO date string become Dates. */
export function recordsToTable(records: unknown, source: string): ColumnTable {
  if (!Array.isArray(records)) {
    if (records && typeof records === "object" && Object.values(records).every(Array.isArray)) return aq.table(records as Record<string, unknown[]>);
    throw new ReadError(source, `expected an array of records, got ${records === null ? "null" : typeof records}`);
  }
  records.forEach((r, i) => {
    if (!r || typeof r !== "object" || Array.isArray(r)) throw new ReadError(source, `record ${i} is not an object: ${JSON.stringify(r)?.slice(0, 60)}`);
  });
  const table = aq.from(records as object[]);
  const dates: Record<string, Date[]> = {};
  for (const name of table.columnNames()) {
    const values = table.array(name) as unknown[];
    let any = false, all = true;
    for (const v of values) {
      if (v === null || v === undefined) continue;
      if (typeof v !== "string" || !ISO_DATE.test(v)) { all = false; break; }
      any = true;
    }
    if (any && all) dates[name] = values.map((v) => (v == null ? null : new Date(v as string))) as Date[];
  }
  return Object.keys(dates).length ? aq.table({ ...Object.fromEntries(table.columnNames().map((n) => [n, table.array(n)])), ...dates }) : table;
}

/** Read a JSON file holding an array of records. Records the file and its sha256 (`inputsRead`). */
export async function readJSON(path: string): Promise<ColumnTable> {
  const { bytes, sha256, shown } = await loadFile(path);
  const table = recordsToTable(parseJSONText(bytes.toString("utf8"), shown), shown);
  return finishFile(table, path, "json", sha256, bytes.length);
}
