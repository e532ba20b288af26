// Request bodies of POST /predict: JSON rows, or MLflow's dataframe_split / dataframe_records, into plain rows.

import { HttpError } from "./http.js";

/** Largest number of rows one request may carry. */
export const MAX_ROWS = 100_000;

/**
 * Parse a /predict body: `[{...}, ...]`, `{"dataframe_split": {"columns": [...], "data": [[...]]}}`,
 * `{"dataframe_records": [{...}]}` or `{"instances": [{...}]}`. Malformed JSON or another
 * shape is a 400 naming what was wrong; schema checks of the rows come later (422).
 */
export function parseRows(body: Buffer): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch (e) {
    throw new HttpError(400, `malformed JSON: ${(e as Error).message}`);
  }
  let rows: unknown[];
  if (Array.isArray(value)) {
    rows = value;
  } else if (value && typeof value === "object") {
    const v = value as Record<string, unknown>;
    if ("dataframe_split" in v) rows = fromSplit(v.dataframe_split);
    else if (Array.isArray(v.dataframe_records)) rows = v.dataframe_records;
    else if (Array.isArray(v.instances)) rows = v.instances;
    else throw new HttpError(400, `body must be an array of rows or an object with "dataframe_split", "dataframe_records" or "instances" (got keys: ${Object.keys(v).join(", ") || "none"})`);
  } else {
    throw new HttpError(400, `body must be an array of rows or an object, got ${value === null ? "null" : typeof value}`);
  }
  if (rows.length === 0) throw new HttpError(400, "no rows to predict");
  if (rows.length > MAX_ROWS) throw new HttpError(413, `${rows.length} rows is over the limit of ${MAX_ROWS} per request`);
  return rows;
}

function fromSplit(split: unknown): Record<string, unknown>[] {
  const s = split as { columns?: unknown; data?: unknown } | null;
  if (!s || typeof s !== "object" || !Array.isArray(s.columns) || !Array.isArray(s.data)) {
    throw new HttpError(400, 'dataframe_split must be {"columns": [names...], "data": [[values...], ...]}');
  }
  const columns = s.columns as unknown[];
  if (!columns.every((c) => typeof c === "string")) throw new HttpError(400, "dataframe_split.columns must be strings");
  return (s.data as unknown[]).map((row, i) => {
    if (!Array.isArray(row) || row.length !== columns.length) {
      throw new HttpError(400, `dataframe_split.data[${i}] must be an array of ${columns.length} values`);
    }
    const rec: Record<string, unknown> = {};
    columns.forEach((c, j) => (rec[c as string] = row[j]));
    return rec;
  });
}
