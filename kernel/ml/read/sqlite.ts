// read.sqlite and read.sql({ sqlite }): a SQL query on a SQLite database file (read-only, through kernel/sqlite), whole or as a stream of table batches.
//
// DuckDB's SQLite scanner is an extension it downloads on first use, which cannot happen offline,
// so SQLite files are read by SQLite itself: the statement is stepped row by row (`iterate`),
// and rows are gathered into column arrays of `batchRows` rows.
import { existsSync } from "node:fs";
import * as aq from "arquero";
import type { ColumnTable } from "arquero";
import { openDatabase, type SqlDatabase, type SqlStatement } from "../../sqlite/open.js";
import type { SqlParams } from "../../sqlite/types.js";
import { ReadError } from "./errors.js";
import { displayPath, fileNotFound, hashFile, hashFileStream, recordInput, resolvePath } from "./inputs.js";
import type { TableBatches } from "./duckdb.js";
import { finishFile } from "./source.js";
import { setRoot } from "../lineage.js";

/**
 * Run `sql` (with optional positional or named `params`) on a SQLite file opened read-only.
 * The database file and its sha256 are recorded, so the lock notices a changed database.
 * BIGINT values come back as numbers.
 */
export function readSQLite(path: string, sql: string, params: unknown[] | Record<string, unknown> = []): ColumnTable {
  const { db, stmt } = prepareReader(path, sql);
  try {
    const { columns: names, rows } = stmt.table(...bindings(params));
    if (!names.length) throw new ReadError(displayPath(path), `query returns no rows (read needs a SELECT): ${sql}`);
    const data: Record<string, unknown[]> = {};
    names.forEach((n, j) => (data[n] = rows.map((r) => r[j])));
    const table = aq.table(data);
    const { sha256, bytes } = hashFile(path);
    finishFile(table, path, "sqlite", sha256, bytes);
    // rows are identified by database content and query, not by the file alone
    setRoot(table, { kind: "sqlite", name: `${path}: ${sql}`, path, sha256 }, `sqlite:${sha256}:${sql}:${JSON.stringify(params)}`);
    return table;
  } finally {
    db.close();
  }
}

type Params = unknown[] | Record<string, unknown>;

/** Positional values or one object of named values, as every SQLite backend binds them. */
const bindings = (params: Params): SqlParams => (Array.isArray(params) ? params : [params]) as SqlParams;

/** Open a SQLite file read-only and prepare a reading statement; errors name the file and the query. */
function prepareReader(path: string, sql: string): { db: SqlDatabase; stmt: SqlStatement } {
  const shown = displayPath(path);
  if (!existsSync(resolvePath(path))) throw fileNotFound(path);
  let db: SqlDatabase;
  try {
    db = openDatabase(resolvePath(path), { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new ReadError(shown, `cannot open SQLite database: ${(e as Error).message}`, undefined, undefined, { cause: e });
  }
  try {
    const stmt = db.prepare(sql);
    return { db, stmt };
  } catch (e) {
    db.close();
    if (e instanceof ReadError) throw e;
    throw new ReadError(shown, `SQL error: ${(e as Error).message} in: ${sql}`, undefined, undefined, { cause: e });
  }
}

/**
 * A query on a SQLite file as re-iterable table batches of `batchRows` rows (each pass runs the
 * query again on a fresh read-only connection; the last batch may be smaller; an empty result is
 * one empty table with the query's columns). The file's sha256 is recorded for the lock on the
 * first pass; each batch is a lineage root at its row offset.
 */
export function readSQLiteBatches(path: string, sql: string, params: Params = [], batchRows = 100_000): TableBatches {
  if (!(Number.isInteger(batchRows) && batchRows > 0)) throw new ReadError(displayPath(path), `batchRows must be a positive integer, got ${batchRows}`);
  prepareReader(path, sql).db.close(); // fail now, at the call, on a missing file or bad SQL
  let recorded: Promise<string> | undefined;
  return {
    sql,
    async *[Symbol.asyncIterator]() {
      const sha256 = await (recorded ??= hashFileStream(path).then(({ sha256, bytes }) => (recordInput(path, sha256, "sqlite", bytes), sha256)));
      const { db, stmt } = prepareReader(path, sql);
      try {
        const { columns: names, rows } = stmt.iterate(...bindings(params));
        if (!names.length) throw new ReadError(displayPath(path), `query returns no rows (read needs a SELECT): ${sql}`);
        let offset = 0;
        let columns: unknown[][] = names.map(() => []);
        let n = 0;
        const emit = () => {
          const data: Record<string, unknown[]> = {};
          names.forEach((name, j) => (data[name] = columns[j]!));
          const table = aq.table(data);
          setRoot(table, { kind: "sqlite", name: `${displayPath(path)}: ${sql}`, path: displayPath(path), sha256 }, `sqlite:${sha256}:${sql}:${JSON.stringify(params)}`, undefined, offset);
          offset += n;
          columns = names.map(() => []);
          n = 0;
          return table;
        };
        for (const row of rows) {
          for (let j = 0; j < names.length; j++) columns[j]!.push(row[j]);
          if (++n === batchRows) yield emit();
        }
        if (n > 0 || offset === 0) yield emit();
      } finally {
        db.close();
      }
    },
  };
}
