// The ingest verb `read`: one reader per format, dispatch by extension or URL, and the registry of inputs read.
import type { ColumnTable } from "arquero";
import { readCSV, readTSV, type CsvOptions } from "./csv.js";
import { readJSON } from "./json.js";
import { readNDJSON, readNDJSONBatches, collect, type NdjsonBatchOptions } from "./ndjson.js";
import { readParquet, type ParquetOptions } from "./parquet.js";
import { readArrow } from "./arrow.js";
import { readSQLite } from "./sqlite.js";
import { readPostgres, type PostgresOptions } from "./postgres.js";
import { readHTTP, type HttpOptions } from "./http.js";
import { readNDJSONHttp, type NdjsonHttpOptions } from "./ndjsonHttp.js";
import { ReadError } from "./errors.js";
import { readCsvBatches, readParquetBatches, readSqlBatches, type BatchOptions, type TableBatches } from "./duckdb.js";
import { isBatches, sizedReaders, type CsvReadOptions, type ParquetReadOptions, type SqlOptions } from "./auto.js";

export { inputsRead, resetInputs, type InputRead } from "./inputs.js";
export { ReadError } from "./errors.js";
export { DateColumn, DictColumn } from "./csv-columns.js";
export type { BatchOptions, SqlOptions, TableBatches, CsvReadOptions, ParquetReadOptions };
export type { AsBatches, AsTable, SizedReaders } from "./auto.js";
export type { StreamMode, StreamOptions } from "./budget.js";
export type { CsvOptions, NdjsonBatchOptions, ParquetOptions, PostgresOptions, HttpOptions, NdjsonHttpOptions };

const byExtension: Record<string, (path: string, options?: never) => ColumnTable | Promise<ColumnTable>> = {
  csv: readCSV, tsv: readTSV, txt: readCSV, json: readJSON, ndjson: readNDJSON, jsonl: readNDJSON,
  parquet: readParquet, arrow: readArrow, feather: readArrow, ipc: readArrow, arrows: readArrow,
};

/**
 * Read a table from a path (relative to the notebook's folder) or an http(s) URL, choosing the
 * reader by extension: .csv .tsv .json .ndjson/.jsonl .parquet .arrow/.feather; URLs are JSON
 * APIs (`read.http`). Every file read is recorded with its sha256 (`inputsRead()`, for the
 * export lock) and the table becomes a lineage root. Specific readers: `read.csv`, `read.tsv`,
 * `read.json`, `read.ndjson`, `read.ndjsonBatches`, `read.parquet`, `read.arrow`, `read.sqlite`,
 * `read.postgres`, `read.http`, `read.ndjsonHttp`.
 */
async function readAny(source: string, options?: Record<string, unknown>): Promise<ColumnTable> {
  if (/^https?:\/\//i.test(source)) return readHTTP(source, options as HttpOptions);
  const ext = /\.([a-z0-9]+)$/i.exec(source)?.[1]?.toLowerCase() ?? "";
  const reader = byExtension[ext];
  if (!reader) throw new ReadError(source, `unknown file type ".${ext}" (known: ${Object.keys(byExtension).join(", ")}); use a specific reader such as read.csv`);
  return reader(source, options as never);
}

/** `read(path)` plus one method per format; csv, parquet and sql are the size-aware readers (SizedReaders). */
export const read = Object.assign(readAny, sizedReaders, {
  /** Tab-separated values. */
  tsv: async (path: string, options?: CsvOptions) => readTSV(path, options),
  /** A JSON array of records. */
  json: readJSON,
  /** Newline-delimited JSON, whole. */
  ndjson: readNDJSON,
  /** Newline-delimited JSON as an async iterable of table batches. */
  ndjsonBatches: (path: string, options?: NdjsonBatchOptions) => readNDJSONBatches(path, options),
  /** Arrow IPC file or stream. */
  arrow: readArrow,
  /** A query on a SQLite file: `read.sqlite("db.sqlite", "select * from t where x > ?", [1])`. */
  sqlite: async (path: string, sql: string, params?: unknown[] | Record<string, unknown>) => readSQLite(path, sql, params),
  /** A query on PostgreSQL: `read.postgres("select ...", { connection, params })`. */
  postgres: readPostgres,
  /** A JSON HTTP API with pagination, retries and timeouts. */
  http: readHTTP,
  /** NDJSON streamed over HTTP, as an async iterable of table batches. */
  ndjsonHttp: readNDJSONHttp,
  /** True when a `stream: "auto"` read returned table batches rather than a table. */
  isBatches,
  /** A DuckDB query's result as re-iterable table batches: data larger than memory. */
  sqlBatches: readSqlBatches,
  /** A Parquet file of any size as table batches (DuckDB). */
  parquetBatches: readParquetBatches,
  /** A CSV file of any size as table batches (DuckDB, types sniffed). */
  csvBatches: readCsvBatches,
  /** Concatenate the batches of a streaming reader into one table. */
  collect,
});
