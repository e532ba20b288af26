// read.sqlite: the result of a SQL query on a SQLite database file (better-sqlite3, read-only).
import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import * as aq from "arquero";
import type { ColumnTable } from "arquero";
import { ReadError } from "./errors.js";
import { fileNotFound, hashFile, resolvePath } from "./inputs.js";
import { finishFile } from "./source.js";
import { setRoot } from "../lineage.js";

/**
 * Run `sql` (with optional positional or named `params`) on a SQLite file opened read-only.
 * The database file and its sha256 are recorded, so the lock notices a changed database.
 * BIGINT values come back as numbers.
 */
export function readSQLite(path: string, sql: string, params: unknown[] | Record<string, unknown> = []): ColumnTable {
  let db: Database.Database;
  if (!existsSync(resolvePath(path))) throw fileNotFound(path);
  try {
    db = new Database(resolvePath(path), { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new ReadError(path, `cannot open SQLite database: ${(e as Error).message}`, undefined, undefined, { cause: e });
  }
  try {
    let stmt: Database.Statement;
    try {
      stmt = db.prepare(sql);
    } catch (e) {
      throw new ReadError(path, `SQL error: ${(e as Error).message} in: ${sql}`, undefined, undefined, { cause: e });
    }
    if (!stmt.reader) throw new ReadError(path, `query returns no rows (read needs a SELECT): ${sql}`);
    const names = stmt.columns().map((c) => c.name);
    const rows = (Array.isArray(params) ? stmt.raw().all(...params) : stmt.raw().all(params)) as unknown[][];
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
