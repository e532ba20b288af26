// deploy.score: a bundle's predictions for a whole table (a file's rows) in batches, every bad row named before any prediction.
import type { ColumnTable } from "arquero";
import type { Predictor } from "./load.js";
import { checkRows, fromText, type FieldError } from "./schema.js";

export interface ScoreOptions {
  /** Rows per predict call (default 10,000). */
  batchRows?: number;
  /** Values are CSV text (read as strings): type them by the schema, as the server's text/csv does. */
  text?: boolean;
  /** Called after each batch with rows done and the total. */
  onProgress?(done: number, total: number): void;
  /** Field errors kept for the message (default 20; `total` counts them all). */
  maxErrors?: number;
}

/** Rows that do not fit the bundle's schema: the first errors, and how many there are in all. */
export class RowsError extends Error {
  override name = "RowsError";
  constructor(readonly errors: FieldError[], readonly total: number, message: string) {
    super(message);
  }
}

/** Predictions of every row, in row order (probabilities per label for classifiers). */
export interface Scores {
  predictions: (string | number | boolean)[];
  probabilities?: number[][];
  labels?: (string | number | boolean)[];
}

/**
 * The schema's fields of rows [start, end) as null-prototype objects (only the bundle's input
 * names, so a column called `__proto__` in a file never reaches an object's prototype).
 */
function rowsOf(p: Predictor, table: ColumnTable, start: number, end: number, text: boolean): Record<string, unknown>[] {
  const cols = p.schema.fields.map((f) => ({ f, values: table.column(f.name) ? (table.array(f.name) as ArrayLike<unknown>) : null }));
  const rows: Record<string, unknown>[] = [];
  for (let i = start; i < end; i++) {
    const rec = Object.create(null) as Record<string, unknown>;
    for (const { f, values } of cols) {
      const v = values ? values[i] : null;
      rec[f.name] = text && typeof v === "string" ? fromText(v, f.type) : v === undefined ? null : v;
    }
    rows.push(rec);
  }
  return rows;
}

/**
 * Score `table` with a loaded bundle: a missing required column is an error naming it; then every
 * row is checked against the schema (errors name the row index and field, and nothing is
 * predicted); then rows are predicted `batchRows` at a time through the same `predict` the server
 * calls. Extra columns are not inputs and are left alone.
 */
export function score(p: Predictor, table: ColumnTable, options: ScoreOptions = {}): Scores {
  const batch = options.batchRows ?? 10_000;
  if (!Number.isInteger(batch) || batch < 1) throw new RangeError(`deploy.score: batchRows must be a positive integer, got ${batch}`);
  const have = new Set(table.columnNames());
  const absent = p.schema.fields.filter((f) => !f.nullable && !have.has(f.name)).map((f) => f.name);
  if (absent.length) throw new Error(`no column ${absent.map((c) => `"${c}"`).join(", ")} (the bundle's inputs: ${p.schema.fields.map((f) => f.name).join(", ")})`);
  const n = table.numRows();
  const text = options.text === true;
  const keep = options.maxErrors ?? 20;
  const errors: FieldError[] = [];
  let total = 0;
  for (let s = 0; s < n; s += batch) {
    const found = checkRows(rowsOf(p, table, s, Math.min(n, s + batch), text), p.schema, [], keep);
    for (const e of found.errors) if (errors.length < keep) errors.push({ ...e, row: e.row + s });
    total += found.total;
  }
  if (total) throw new RowsError(errors, total, `${total} field error${total === 1 ? "" : "s"} in ${n} rows`);
  const out: Scores = { predictions: [] };
  for (let s = 0; s < n; s += batch) {
    const got = p.predict(rowsOf(p, table, s, Math.min(n, s + batch), text));
    for (const v of got.predictions) out.predictions.push(v);
    if (got.probabilities) {
      out.probabilities ??= [];
      for (const r of got.probabilities) out.probabilities.push(r);
      out.labels = got.labels;
    }
    options.onProgress?.(Math.min(n, s + batch), n);
  }
  return out;
}
