// read.sql / read.csv / read.parquet: one table when the data fits the memory budget, else a re-iterable stream of table batches (the switch, by size estimate).
//
// Files are estimated before they are read (CSV: bytes and rows from the first megabyte; Parquet:
// rows x column widths from the footer). A query's result size is known only by running it, so
// read.sql gathers batches until they cross the budget, then hands back the stream instead (which
// runs the query again when iterated). The decision itself is budget.ts's `shouldStream`.
import { closeSync, openSync, readSync, statSync } from "node:fs";
import type { ColumnTable } from "arquero";
import { setRoot } from "../lineage.js";
import { collectWithin, memoryBudget, shouldStream, type StreamOptions } from "./budget.js";
import { readCSV, type CsvOptions } from "./csv.js";
import { readSqlBatches, sqlString, type TableBatches } from "./duckdb.js";
import { ReadError } from "./errors.js";
import { displayPath, fileNotFound, inputsRead, resolvePath } from "./inputs.js";
import { readParquet, type ParquetOptions } from "./parquet.js";
import { readSQLiteBatches } from "./sqlite.js";
import { batchesWithProgress } from "./progress.js";
import { formatCount } from "../../text/count.js";

/** A size-aware reader's options that ask for one table: `stream` left out or false. */
export type AsTable<O extends StreamOptions> = O & { stream?: false };

/** A size-aware reader's options that ask for table batches: `stream: true`. */
export type AsBatches<O extends StreamOptions> = O & { stream: true };

/**
 * The size-aware readers, `read.csv`, `read.parquet` and `read.sql`. Their result type follows the
 * `stream` option: one table without it (or false), table batches for true, either for "auto" (test
 * with `read.isBatches`). Declared as overloaded methods so that hover and signature help show each
 * call's parameters and doc comment.
 */
export interface SizedReaders {
  /**
   * CSV with typed columns (numbers, dates, booleans, strings) as one table; see CsvOptions.
   * Refused with the estimate when the file is over the memory budget: pass `stream: "auto"` or `true`.
   * @param path the file, relative to the notebook's folder
   * @param options delimiter, header, names, types, ... and `stream` / `memoryBudget`
   */
  csv(path: string, options?: AsTable<CsvReadOptions>): Promise<ColumnTable>;
  /**
   * A CSV file of any size as re-iterable table batches (DuckDB's streaming reader, types sniffed).
   * @param path the file, relative to the notebook's folder
   * @param options `stream: true`, `batchRows` (default 100,000); delimiter, header and names apply
   */
  csv(path: string, options: AsBatches<CsvReadOptions>): Promise<TableBatches>;
  /**
   * A CSV file as one table when it fits the memory budget, else table batches (`stream: "auto"`).
   * @param path the file, relative to the notebook's folder
   * @param options `stream: "auto"` (or a boolean known only at run time) and the parser's options
   */
  csv(path: string, options: CsvReadOptions): Promise<ColumnTable | TableBatches>;
  /**
   * A Parquet file as one table (hyparquet). Refused with the estimate when it is over the memory
   * budget: pass `stream: "auto"` or `true`.
   * @param path the file, relative to the notebook's folder
   * @param options columns, rowStart, rowEnd and `stream` / `memoryBudget`
   */
  parquet(path: string, options?: AsTable<ParquetReadOptions>): Promise<ColumnTable>;
  /**
   * A Parquet file of any size as re-iterable table batches (DuckDB).
   * @param path the file, relative to the notebook's folder
   * @param options `stream: true`, `batchRows` (default 100,000); columns, rowStart and rowEnd apply
   */
  parquet(path: string, options: AsBatches<ParquetReadOptions>): Promise<TableBatches>;
  /**
   * A Parquet file as one table when it fits the memory budget, else table batches (`stream: "auto"`).
   * @param path the file, relative to the notebook's folder
   * @param options `stream: "auto"` (or a boolean known only at run time) and the reader's options
   */
  parquet(path: string, options: ParquetReadOptions): Promise<ColumnTable | TableBatches>;
  /**
   * A query's result as one table: DuckDB over the Parquet / CSV files it names, or with
   * `{ sqlite: "file.db" }` SQLite's own SQL on that file (`params` bound).
   * @param sql the query
   * @param options sqlite, params, maxRows and `stream` / `memoryBudget`
   */
  sql(sql: string, options?: AsTable<SqlOptions>): Promise<ColumnTable>;
  /**
   * A query's result as re-iterable table batches (the query runs again when iterated again).
   * @param sql the query
   * @param options `stream: true`, `batchRows` (default 100,000); sqlite and params apply
   */
  sql(sql: string, options: AsBatches<SqlOptions>): Promise<TableBatches>;
  /**
   * A query's result as one table when it fits the memory budget, else table batches (`stream: "auto"`).
   * @param sql the query
   * @param options `stream: "auto"` (or a boolean known only at run time), sqlite, params, maxRows
   */
  sql(sql: string, options: SqlOptions): Promise<ColumnTable | TableBatches>;
}

/** Options of `read.sql`. */
export interface SqlOptions extends StreamOptions {
  /** A SQLite database file to run the query on (SQLite's SQL, read by SQLite itself); without it DuckDB runs the query over the files it names. */
  sqlite?: string;
  /** Positional or named parameters of a SQLite query. */
  params?: unknown[] | Record<string, unknown>;
  /** A table result with more rows than this is refused (default 5,000,000): aggregate in SQL or stream. */
  maxRows?: number;
  /** Rows per batch when streaming (default 100,000). */
  batchRows?: number;
}

/** Options of `read.csv` beyond the parser's: the stream switch and the batch size. */
export interface CsvReadOptions extends CsvOptions, StreamOptions {
  /** Rows per batch when streaming (default 100,000). */
  batchRows?: number;
}

/** Options of `read.parquet` beyond the reader's: the stream switch and the batch size. */
export interface ParquetReadOptions extends ParquetOptions, StreamOptions {
  /** Rows per batch when streaming (default 100,000). */
  batchRows?: number;
}

/** True for a stream of table batches (what `stream: "auto"` returns for data over the budget), false for a table. */
export function isBatches(value: ColumnTable | TableBatches): value is TableBatches {
  return typeof (value as TableBatches)[Symbol.asyncIterator] === "function" && typeof (value as ColumnTable).numRows !== "function";
}

/** Fail with a ReadError naming the file when it does not exist. */
function sizeOf(path: string, verb: string): number {
  try {
    return statSync(resolvePath(path)).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw fileNotFound(path, e);
    throw new ReadError(displayPath(path), `${verb}: ${(e as Error).message}`, undefined, undefined, { cause: e });
  }
}

/**
 * Memory a CSV file takes as a table, estimated from its first megabyte: rows (newlines per byte
 * times the size) x columns x 8 bytes, and at least the file's own size (strings, dates).
 */
export function csvEstimate(path: string, delimiter = ","): number {
  const size = sizeOf(path, "read.csv");
  const fd = openSync(resolvePath(path), "r");
  try {
    const head = Buffer.allocUnsafe(Math.min(size, 1 << 20));
    const n = readSync(fd, head, 0, head.length, 0);
    let lines = 0;
    for (let i = head.indexOf(10); i >= 0 && i < n; i = head.indexOf(10, i + 1)) lines++;
    const firstLine = head.subarray(0, Math.max(0, head.indexOf(10))).toString("utf8");
    const columns = firstLine.split(delimiter).length;
    const rows = n > 0 ? Math.ceil((Math.max(lines, 1) / n) * size) : 0;
    return Math.max(size, rows * columns * 8);
  } finally {
    closeSync(fd);
  }
}

/**
 * Memory `read.parquet` takes, from the footer: the file itself (read whole) plus rows x 8 bytes a
 * number column, and uncompressed bytes x 2 + 16 a row for text and binary columns.
 */
export async function parquetEstimate(path: string, options: ParquetOptions = {}): Promise<number> {
  const size = sizeOf(path, "read.parquet");
  const fd = openSync(resolvePath(path), "r");
  try {
    const file = {
      byteLength: size,
      slice(start: number, end = size): ArrayBuffer {
        const out = new Uint8Array(end - start);
        readSync(fd, out, 0, out.length, start);
        return out.buffer;
      },
    };
    // Loaded here, as parquet.ts loads its reader: a kernel that reads no Parquet never loads hyparquet
    // (outside the try: a broken install is not "not a valid Parquet file").
    const { parquetMetadataAsync } = await import("hyparquet");
    let metadata;
    try {
      metadata = await parquetMetadataAsync(file);
    } catch (e) {
      throw new ReadError(displayPath(path), `not a valid Parquet file: ${(e as Error).message}`, undefined, undefined, { cause: e });
    }
    const total = Number(metadata.num_rows);
    const rows = Math.max(0, Math.min(options.rowEnd ?? total, total) - (options.rowStart ?? 0));
    const text = new Map<string, number>();
    for (const group of metadata.row_groups) {
      for (const chunk of group.columns) {
        const meta = chunk.meta_data;
        if (meta && (meta.type === "BYTE_ARRAY" || meta.type === "FIXED_LEN_BYTE_ARRAY")) {
          const name = meta.path_in_schema.join(".");
          text.set(name, (text.get(name) ?? 0) + Number(meta.total_uncompressed_size));
        }
      }
    }
    const names = options.columns ?? metadata.schema.slice(1).filter((s) => !s.num_children).map((s) => s.name);
    let perRow = 0;
    for (const name of names) perRow += text.has(name) ? 16 + (2 * text.get(name)!) / Math.max(1, total) : 8;
    return size + Math.ceil(perRow * rows);
  } finally {
    closeSync(fd);
  }
}

/** A SQL identifier in double quotes. */
function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * `read.csv(path, options)`: typed columns in one table (see readCSV), or with `stream` DuckDB's
 * streaming CSV reader (types sniffed by DuckDB; `delimiter`, `header` and `names` apply).
 */
export async function readCsvSized(path: string, options: CsvReadOptions = {}): Promise<ColumnTable | TableBatches> {
  const { stream, memoryBudget: _budget, batchRows, ...csv } = options;
  const streamIt = stream === true || (stream !== false && shouldStream(csvEstimate(path, csv.delimiter), options, displayPath(path), "read.csv"));
  if (!streamIt) return readCSV(path, csv);
  if (csv.types) throw new ReadError(displayPath(path), "types cannot be forced when streaming a CSV (DuckDB sniffs the types): cast the columns in read.sql, or read it whole with stream: false");
  const size = sizeOf(path, "read.csv");
  const args = [sqlString(path)];
  if (csv.delimiter !== undefined) args.push(`delim = ${sqlString(csv.delimiter)}`);
  if (csv.header !== undefined) args.push(`header = ${csv.header}`);
  if (csv.names) args.push(`names = [${csv.names.map(sqlString).join(", ")}]`);
  return batchesWithProgress(readSqlBatches(`select * from read_csv(${args.join(", ")})`, { batchRows }), "read.csv", displayPath(path), size);
}

/** `read.parquet(path, options)`: one table through hyparquet, or with `stream` DuckDB's Parquet reader in batches (`columns`, `rowStart`, `rowEnd` apply). */
export async function readParquetSized(path: string, options: ParquetReadOptions = {}): Promise<ColumnTable | TableBatches> {
  const { stream, memoryBudget: _budget, batchRows, ...pq } = options;
  const streamIt = stream === true || (stream !== false && shouldStream(await parquetEstimate(path, pq), options, displayPath(path), "read.parquet"));
  if (!streamIt) return readParquet(path, pq);
  const size = sizeOf(path, "read.parquet");
  const select = pq.columns ? pq.columns.map(ident).join(", ") : "*";
  const start = pq.rowStart ?? 0;
  const range = pq.rowEnd !== undefined ? ` limit ${Math.max(0, pq.rowEnd - start)} offset ${start}` : start ? ` offset ${start}` : "";
  return batchesWithProgress(readSqlBatches(`select ${select} from read_parquet(${sqlString(path)})${range}`, { batchRows }), "read.parquet", displayPath(path), size);
}

/** Stop a stream with a clear error once it passes `maxRows` rows. */
async function* capped(batches: AsyncIterable<ColumnTable>, maxRows: number, sql: string): AsyncGenerator<ColumnTable> {
  let n = 0;
  for await (const b of batches) {
    n += b.numRows();
    if (n > maxRows) throw new ReadError("read.sql", `the result has more than ${maxRows} rows (maxRows): aggregate in SQL, raise maxRows, or stream it with read.sqlBatches(sql) or { stream: "auto" }: ${sql}`);
    yield b;
  }
}

/**
 * `read.sql(sql, options)`: a query over Parquet / CSV files (DuckDB) or, with `{ sqlite: "file.db" }`,
 * on a SQLite database (SQLite's own SQL, `params` bound). The result is one table when it fits
 * the memory budget; past it `stream: "auto"` returns the query's batches and a plain call is
 * refused with the estimate. Files read are recorded for the lock.
 */
export async function readSql(sql: string, options: SqlOptions = {}): Promise<ColumnTable | TableBatches> {
  const batchRows = options.batchRows ?? 100_000;
  const batches = () => (options.sqlite ? readSQLiteBatches(options.sqlite, sql, options.params, batchRows) : readSqlBatches(sql, { batchRows }));
  if (!options.sqlite && options.params !== undefined) throw new ReadError("read.sql", "params are bound only in SQLite queries ({ sqlite: file }); write DuckDB values into the SQL");
  if (options.stream === true) return batches();
  const source = options.sqlite ? displayPath(options.sqlite) : "read.sql";
  const budget = options.stream === false ? Infinity : memoryBudget(options, source);
  const got = await collectWithin(capped(batches(), options.maxRows ?? 5_000_000, sql), budget);
  if (!got.table) {
    // over the budget: "auto" streams, a plain call is refused (shouldStream says which)
    shouldStream(got.bytes, options, source, `read.sql (${formatCount(got.rows)} rows read so far)`);
    return batches();
  }
  if (options.sqlite) {
    const shown = displayPath(options.sqlite);
    const sha256 = inputsRead().find((i) => i.path === shown)?.sha256 ?? "";
    setRoot(got.table, { kind: "sqlite", name: `${shown}: ${sql}`, path: shown, sha256 }, `sqlite:${sha256}:${sql}:${JSON.stringify(options.params ?? [])}`);
  } else setRoot(got.table, { kind: "sql", name: sql }, `sql:${sql}`);
  return got.table;
}

/**
 * `read.csv`, `read.parquet` and `read.sql` with the overloads of SizedReaders: the same
 * functions, typed so that the result follows the `stream` option.
 */
export const sizedReaders: SizedReaders = {
  csv: readCsvSized as SizedReaders["csv"],
  parquet: readParquetSized as SizedReaders["parquet"],
  sql: readSql as SizedReaders["sql"],
};
