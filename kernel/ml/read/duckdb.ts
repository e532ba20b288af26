// Data larger than memory through DuckDB: SQL over Parquet and CSV files, whole when the result fits, else a stream of table batches.
//
// DuckDB scans files itself (out of core, in parallel) and hands rows over in vectors of 2048;
// only the result crosses into JavaScript, as arquero tables of `batchRows` rows. A stream can be
// iterated again (each pass re-runs the query), which is what epochs over batches need.
import * as aq from "arquero";
import type { ColumnTable } from "arquero";
import { createHash } from "node:crypto";
import { createReadStream, existsSync, statSync } from "node:fs";
import { setRoot } from "../lineage.js";
import { ReadError } from "./errors.js";
import { displayPath, fileNotFound, recordInput, resolvePath } from "./inputs.js";

/** Options of `read.sql`. */
export interface SqlOptions {
  /** A result with more rows than this is refused with a pointer to `read.sqlBatches` (default 5,000,000). */
  maxRows?: number;
}

/** Options of the batch readers. */
export interface BatchOptions {
  /** Rows per table batch (default 100,000; the last batch may be smaller). */
  batchRows?: number;
}

/** Table batches of a query: iterate with `for await`; every iteration runs the query again (same rows, same order for a deterministic query). */
export interface TableBatches extends AsyncIterable<ColumnTable> {
  /** The query that produces the batches. */
  readonly sql: string;
}

type Duck = typeof import("@duckdb/node-api");
let connection: Promise<{ duck: Duck; conn: import("@duckdb/node-api").DuckDBConnection }> | undefined;

/** One in-memory DuckDB per process; DuckDB spills to its temp folder when a query needs more memory. */
function duckdb() {
  return (connection ??= (async () => {
    const duck = await import("@duckdb/node-api");
    const instance = await duck.DuckDBInstance.create(":memory:", { threads: String(Math.max(1, Number(process.env.MLNB_DUCKDB_THREADS) || 0) || (await import("node:os")).availableParallelism()) });
    return { duck, conn: await instance.connect() };
  })());
}

/** A SQL string literal. */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** sha256 and size of a file read in a stream (files here may not fit in memory). */
async function hashStream(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), bytes };
}

/** Files a query names as string literals ('data/x.parquet'), that exist: recorded as inputs for the lock. */
async function recordFiles(sql: string): Promise<void> {
  for (const m of sql.matchAll(/'((?:[^']|'')+\.(?:parquet|csv|tsv|json|ndjson|jsonl)(?:\.gz)?)'/gi)) {
    const path = m[1]!.replace(/''/g, "'");
    const abs = resolvePath(path);
    if (!existsSync(abs) || !statSync(abs).isFile()) continue;
    const { sha256, bytes } = await hashStream(abs);
    recordInput(path, sha256, m[0].split(".").pop()!.replace(/'$/, ""), bytes);
  }
}

/** A DuckDB value as a table value: 64-bit integers as numbers (exact below 2^53), dates as Date. */
function jsValue(v: unknown): unknown {
  return typeof v === "bigint" ? Number(v) : v;
}

/** Run `sql` and yield its rows as tables of `batchRows` rows, each a lineage root (its row offset in the result). */
async function* batchesOf(sql: string, batchRows: number): AsyncGenerator<ColumnTable> {
  const { duck, conn } = await duckdb();
  let result;
  try {
    result = await conn.stream(sql);
  } catch (e) {
    throw new ReadError("read.sql", `${(e as Error).message.split("\n")[0]} in: ${sql}`, undefined, undefined, { cause: e });
  }
  const names = result.columnNames();
  let columns: unknown[][] = names.map(() => []);
  let rows = 0;
  let offset = 0;
  const emit = () => {
    const data: Record<string, unknown[]> = {};
    names.forEach((n, j) => (data[n] = columns[j]!));
    const table = aq.table(data);
    setRoot(table, { kind: "sql", name: sql }, `sql:${sql}`, undefined, offset);
    offset += rows;
    columns = names.map(() => []);
    rows = 0;
    return table;
  };
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const values = chunk.convertColumns(duck.JSDuckDBValueConverter);
    for (let j = 0; j < names.length; j++) {
      const col = columns[j]!;
      for (const v of values[j]!) col.push(jsValue(v));
    }
    rows += chunk.rowCount;
    if (rows >= batchRows) yield emit();
  }
  if (rows > 0 || offset === 0) yield emit();
}

/**
 * Run a DuckDB query (over files: `select * from 'data/flights.parquet'`, `read_csv('x.csv')`)
 * and return its result as one table. Files the query names are recorded for the lock. A result
 * larger than `maxRows` is refused: aggregate in SQL, or stream it with `read.sqlBatches`.
 */
export async function readSql(sql: string, options: SqlOptions = {}): Promise<ColumnTable> {
  const maxRows = options.maxRows ?? 5_000_000;
  await recordFiles(sql);
  const parts: ColumnTable[] = [];
  let n = 0;
  for await (const t of batchesOf(sql, 100_000)) {
    n += t.numRows();
    if (n > maxRows) throw new ReadError("read.sql", `the result has more than ${maxRows} rows (maxRows): aggregate in SQL, raise maxRows, or stream it with read.sqlBatches(sql): ${sql}`);
    parts.push(t);
  }
  const table = parts.length === 1 ? parts[0]! : (parts[0]!.concat(...parts.slice(1)) as ColumnTable);
  setRoot(table, { kind: "sql", name: sql }, `sql:${sql}`);
  return table;
}

/** Stream a query's result as table batches (see TableBatches); files it names are recorded for the lock on the first pass. */
export function readSqlBatches(sql: string, options: BatchOptions = {}): TableBatches {
  const batchRows = options.batchRows ?? 100_000;
  if (!(Number.isInteger(batchRows) && batchRows > 0)) throw new ReadError("read.sqlBatches", `batchRows must be a positive integer, got ${batchRows}`);
  let recorded: Promise<void> | undefined;
  return {
    sql,
    async *[Symbol.asyncIterator]() {
      await (recorded ??= recordFiles(sql));
      yield* batchesOf(sql, batchRows);
    },
  };
}

/** A Parquet file of any size as table batches (DuckDB's reader). */
export function readParquetBatches(path: string, options: BatchOptions = {}): TableBatches {
  if (!existsSync(resolvePath(path))) throw fileNotFound(path);
  return readSqlBatches(`select * from read_parquet(${sqlString(path)})`, options);
}

/** A CSV file of any size as table batches (DuckDB's reader: types sniffed from the file). */
export function readCsvBatches(path: string, options: BatchOptions = {}): TableBatches {
  if (!existsSync(resolvePath(path))) throw fileNotFound(path);
  return readSqlBatches(`select * from read_csv(${sqlString(path)})`, options);
}
