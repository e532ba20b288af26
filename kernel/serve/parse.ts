// Request bodies of POST /predict: JSON rows, MLflow's dataframe_split / dataframe_records / inputs / instances, into plain rows.

import { fromText, type FieldType } from "../ml/deploy/schema.js";
import { HttpError } from "./http.js";

/** Largest number of rows one request may carry. */
export const MAX_ROWS = 100_000;

/** Keys that could reach an object's prototype chain: never accepted as field names. */
const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Parse a /predict body: `[{...}, ...]`, `{"dataframe_split": {"columns": [...], "data": [[...]]}}`,
 * `{"dataframe_records": [{...}]}`, `{"instances": [{...}]}` or `{"inputs": ...}` (records, or
 * columns as `{"name": [values...]}`). Malformed JSON or another shape is a 400 naming what was
 * wrong; schema checks of the rows come later (422). Rows come back as null-prototype objects.
 */
export function parseRows(body: Buffer): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch (e) {
    throw new HttpError(400, `malformed JSON: ${(e as Error).message.slice(0, 200)}`);
  }
  return plainRows(fromShape(value));
}

function fromShape(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (!value || typeof value !== "object") throw new HttpError(400, `body must be an array of rows or an object, got ${value === null ? "null" : typeof value}`);
  const v = value as Record<string, unknown>;
  if (Object.hasOwn(v, "dataframe_split")) return fromSplit(v.dataframe_split);
  if (Array.isArray(v.dataframe_records)) return v.dataframe_records;
  if (Array.isArray(v.instances)) return v.instances;
  if (Object.hasOwn(v, "inputs")) return fromInputs(v.inputs);
  const keys = Object.keys(v).slice(0, 10).map((k) => k.slice(0, 40));
  throw new HttpError(400, `body must be an array of rows or an object with "dataframe_split", "dataframe_records", "instances" or "inputs" (got keys: ${keys.join(", ") || "none"})`);
}

/** Refuse prototype keys and copy each row into a null-prototype object, so rows are plain data. */
export function plainRows(rows: unknown[]): unknown[] {
  if (rows.length === 0) throw new HttpError(400, "no rows to predict");
  if (rows.length > MAX_ROWS) throw new HttpError(413, `${rows.length} rows is over the limit of ${MAX_ROWS} per request`);
  return rows.map((row, i) => {
    if (row === null || typeof row !== "object" || Array.isArray(row)) return row;
    const rec = Object.create(null) as Record<string, unknown>;
    for (const k of Object.keys(row)) {
      if (FORBIDDEN.has(k)) throw new HttpError(400, `row ${i}: field name "${k}" is not allowed`);
      rec[k] = (row as Record<string, unknown>)[k];
    }
    return rec;
  });
}

function fromSplit(split: unknown): Record<string, unknown>[] {
  const s = split as { columns?: unknown; data?: unknown } | null;
  if (!s || typeof s !== "object" || !Array.isArray(s.columns) || !Array.isArray(s.data)) {
    throw new HttpError(400, 'dataframe_split must be {"columns": [names...], "data": [[values...], ...]}');
  }
  const columns = checkColumns(s.columns, "dataframe_split.columns");
  return (s.data as unknown[]).map((row, i) => {
    if (!Array.isArray(row) || row.length !== columns.length) {
      throw new HttpError(400, `dataframe_split.data[${i}] must be an array of ${columns.length} values`);
    }
    const rec = Object.create(null) as Record<string, unknown>;
    columns.forEach((c, j) => (rec[c] = row[j]));
    return rec;
  });
}

/** MLflow's `inputs`: a list of records, or one object of equally long columns. */
function fromInputs(inputs: unknown): unknown[] {
  if (Array.isArray(inputs)) return inputs;
  if (!inputs || typeof inputs !== "object") throw new HttpError(400, '"inputs" must be a list of rows or an object of columns {"name": [values...]}');
  const columns = checkColumns(Object.keys(inputs), "inputs");
  const cols = columns.map((c) => (inputs as Record<string, unknown>)[c]);
  if (!cols.every(Array.isArray)) throw new HttpError(400, '"inputs" as columns must map each name to an array of values');
  const n = (cols[0] as unknown[] | undefined)?.length ?? 0;
  const bad = cols.findIndex((c) => (c as unknown[]).length !== n);
  if (bad >= 0) throw new HttpError(400, `"inputs" column "${columns[bad].slice(0, 40)}" has ${(cols[bad] as unknown[]).length} values, the first column ${n}`);
  if (n > MAX_ROWS) throw new HttpError(413, `${n} rows is over the limit of ${MAX_ROWS} per request`);
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const rec = Object.create(null) as Record<string, unknown>;
    columns.forEach((c, j) => (rec[c] = (cols[j] as unknown[])[i]));
    rows.push(rec);
  }
  return rows;
}

function checkColumns(columns: unknown[], where: string): string[] {
  columns.forEach((c, i) => {
    if (typeof c !== "string") throw new HttpError(400, `${where}[${i}] must be a string`);
    if (FORBIDDEN.has(c)) throw new HttpError(400, `${where}: field name "${c}" is not allowed`);
  });
  return columns as string[];
}

/**
 * Parse a `text/csv` body (RFC 4180: header line of field names, quoted fields, CRLF or LF) into
 * rows, typing each value by the schema: number and boolean fields are converted (an empty field
 * is null); a value that does not convert stays a string, so the 422 names it.
 */
export function parseCsvRows(body: Buffer, types: Record<string, FieldType>): unknown[] {
  const text = body.toString("utf8").replace(/^\ufeff/, "");
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === "") quoted = true;
    else if (ch === ",") record.push(field), (field = "");
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      record.push(field), (field = "");
      if (record.length > 1 || record[0] !== "") records.push(record);
      record = [];
    } else field += ch;
  }
  if (quoted) throw new HttpError(400, `CSV body: a quoted field is not closed (line ${records.length + 1})`);
  if (field !== "" || record.length) record.push(field), records.push(record);
  if (records.length < 2) throw new HttpError(400, "CSV body needs a header line and at least one row");
  const header = checkColumns(records[0], "CSV header");
  return plainRows(
    records.slice(1).map((values, r) => {
      if (values.length !== header.length) throw new HttpError(400, `CSV line ${r + 2} has ${values.length} fields, the header ${header.length}`);
      const rec = Object.create(null) as Record<string, unknown>;
      header.forEach((c, j) => (rec[c] = fromText(values[j], types[c])));
      return rec;
    }),
  );
}
