// The native backend: better-sqlite3 (a prebuilt binary for one platform and one Node ABI).
import { createRequire } from "node:module";
import type BetterSqlite from "better-sqlite3";
import { retryBusy } from "./busy.js";
import type { OpenOptions, SqlDatabase, SqlParams, SqlStatement } from "./types.js";

type Ctor = typeof BetterSqlite;

/** Load better-sqlite3 and its binary (which loads on first open, so a probe opens `:memory:`). */
export function loadBetterSqlite(): (file: string, options: OpenOptions) => SqlDatabase {
  const Database = createRequire(import.meta.url)("better-sqlite3") as Ctor;
  new Database(":memory:").close();
  return (file, options) => wrap(new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.fileMustExist ?? false }));
}

function wrap(db: BetterSqlite.Database): SqlDatabase {
  return {
    backend: "better-sqlite3",
    prepare(sql) {
      const stmt = db.prepare(sql);
      const statement: SqlStatement = {
        run: (...p: SqlParams) => stmt.run(...p),
        get: (...p: SqlParams) => stmt.get(...p) as Record<string, unknown> | undefined,
        all: (...p: SqlParams) => stmt.all(...p) as Record<string, unknown>[],
        table: (...p: SqlParams) => (stmt.reader ? { columns: stmt.columns().map((c) => c.name), rows: db.prepare(sql).raw(true).all(...p) as unknown[][] } : { columns: [], rows: [] }),
        iterate: (...p: SqlParams) => (stmt.reader ? { columns: stmt.columns().map((c) => c.name), rows: db.prepare(sql).raw(true).iterate(...p) as Iterable<unknown[]> } : { columns: [], rows: [] }),
      };
      return statement;
    },
    exec: (sql) => void db.exec(sql),
    pragma: (source, options) => retryBusy(() => db.pragma(source, options)),
    transaction: (fn) => db.transaction(fn) as never,
    close: () => db.close(),
  };
}
