// Data larger than memory through DuckDB: SQL over Parquet and CSV files as re-iterable streams of table batches (read.sql, in auto.ts, decides table or stream).
//
// DuckDB scans files itself (out of core, in parallel) and hands rows over in vectors of 2048;
// only the result crosses into JavaScript, as arquero tables of `batchRows` rows. A stream can be
// iterated again (each pass re-runs the query), which is what epochs over batches need.
import * as aq from "arquero";
import type { ColumnTable } from "arquero";
import { existsSync, statSync } from "node:fs";
import { setRoot } from "../lineage.js";
import { ReadError } from "./errors.js";
import { displayPath, fileNotFound, hashFileStream, recordInput, resolvePath } from "./inputs.js";

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

/** Files a query names as string literals ('data/x.parquet'), that exist: recorded as inputs for the lock. */
async function recordFiles(sql: string): Promise<void> {
  for (const m of sql.matchAll(/'((?:[^']|'')+\.(?:parquet|csv|tsv|json|ndjson|jsonl)(?:\.gz)?)'/gi)) {
    const path = m[1]!.replace(/''/g, "'");
    const abs = resolvePath(path);
    if (!existsSync(abs) || !statSync(abs).isFile()) continue;
    const { sha256, bytes } = await hashFileStream(abs);
    recordInput(path, sha256, m[0].split(".").pop()!.replace(/'$/, ""), bytes);
  }
}

/** A DuckDB value as a table value: 64-bit integers as numbers (exact below 2^53), dates as Date. */
function jsValue(v: unknown): unknown {
  return typeof v === "bigint" ? Number(v) : v;
}

/** DuckDB's integer and floating types: read into Float64Array columns (missing = NaN, as read.csv does). */
const NUMERIC = ["TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "FLOAT", "DOUBLE", "HUGEINT", "UHUGEINT"];

/**
 * Run `sql` and yield its rows as tables of `batchRows` rows, each a lineage root (its row offset
 * in the result). Number columns go into Float64Arrays, off the V8 heap: under a small heap cap,
 * boxed numbers (and a BigInt per 64-bit value) kept the garbage collector busy most of the time.
 */
async function* batchesOf(sql: string, batchRows: number): AsyncGenerator<ColumnTable> {
  const { duck, conn } = await duckdb();
  let result;
  try {
    result = await conn.stream(sql);
  } catch (e) {
    throw new ReadError("read.sql", `${(e as Error).message.split("\n")[0]} in: ${sql}`, undefined, undefined, { cause: e });
  }
  const names = result.columnNames();
  const numeric = result.columnTypes().map((t) => NUMERIC.some((k) => t.typeId === duck.DuckDBTypeId[k as keyof typeof duck.DuckDBTypeId]));
  // a batch closes at the first chunk (<= 2048 rows) that reaches batchRows
  const fresh = () => names.map((_, j) => (numeric[j] ? new Float64Array(batchRows + 2048) : []));
  let columns: (unknown[] | Float64Array)[] = fresh();
  let rows = 0;
  let offset = 0;
  const emit = () => {
    const data: Record<string, unknown[] | Float64Array> = {};
    names.forEach((n, j) => {
      const c = columns[j]!;
      data[n] = c instanceof Float64Array ? c.subarray(0, rows) : c;
    });
    const table = aq.table(data as Record<string, unknown[]>);
    setRoot(table, { kind: "sql", name: sql }, `sql:${sql}`, undefined, offset);
    offset += rows;
    columns = fresh();
    rows = 0;
    return table;
  };
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const n = chunk.rowCount;
    for (let j = 0; j < names.length; j++) {
      const col = columns[j]!;
      if (col instanceof Float64Array) {
        const vec = chunk.getColumnVector(j);
        for (let i = 0; i < n; i++) {
          const v = vec.getItem(i) as number | bigint | null;
          col[rows + i] = v === null ? NaN : Number(v);
        }
      } else for (const v of chunk.convertColumnValues(j, duck.JSDuckDBValueConverter)) col.push(jsValue(v));
    }
    rows += n;
    if (rows >= batchRows) yield emit();
  }
  if (rows > 0 || offset === 0) yield emit();
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
