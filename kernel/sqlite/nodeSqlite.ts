// The built-in backend: node:sqlite (Node >= 22.13 without a flag), the runtime's own SQLite.
import { existsSync } from "node:fs";
import { retryBusy } from "./busy.js";
import { makeTransaction, pragmaVia } from "./transaction.js";
import type { OpenOptions, SqlDatabase, SqlParams, SqlStatement } from "./types.js";

interface NodeStatement {
  run(...p: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  get(...p: unknown[]): Record<string, unknown> | undefined;
  all(...p: unknown[]): Record<string, unknown>[];
  columns?(): { name: string }[];
  iterate?(...p: unknown[]): IterableIterator<Record<string, unknown>>;
}
interface NodeDatabase {
  prepare(sql: string): NodeStatement;
  exec(sql: string): void;
  close(): void;
}
type NodeSqliteModule = { DatabaseSync: new (path: string, options?: { readOnly?: boolean }) => NodeDatabase };

/** node:sqlite when this Node has it unflagged, else a reason. */
export function loadNodeSqlite(): (file: string, options: OpenOptions) => SqlDatabase {
  const mod = process.getBuiltinModule?.("node:sqlite") as NodeSqliteModule | undefined;
  if (!mod?.DatabaseSync) throw new Error(`not in Node ${process.versions.node} (it needs Node >= 22.13)`);
  return (file, options) => {
    if ((options.fileMustExist || options.readonly) && !existsSync(file)) throw new Error(`unable to open database file: ${file} does not exist`);
    return wrap(new mod.DatabaseSync(file, { readOnly: options.readonly ?? false }));
  };
}

// Rows come with a null prototype: callers get plain objects, as from the other backends.
const plain = (row: Record<string, unknown> | undefined) => (row ? { ...row } : undefined);

function wrap(db: NodeDatabase): SqlDatabase {
  const depth = { n: 0 };
  const exec = (sql: string) => db.exec(sql);
  return {
    backend: "node:sqlite",
    prepare(sql) {
      const stmt = db.prepare(sql);
      const statement: SqlStatement = {
        run: (...p: SqlParams) => {
          const r = stmt.run(...p);
          return { changes: Number(r.changes), lastInsertRowid: r.lastInsertRowid };
        },
        get: (...p: SqlParams) => plain(stmt.get(...p)),
        all: (...p: SqlParams) => stmt.all(...p).map((r) => ({ ...r })),
        table: (...p: SqlParams) => {
          const rows = stmt.all(...p);
          return { columns: stmt.columns?.().map((c) => c.name) ?? Object.keys(rows[0] ?? {}), rows: rows.map((r) => Object.values(r)) };
        },
        iterate: (...p: SqlParams) => {
          if (!stmt.iterate || !stmt.columns) return statement.table(...p);
          const rows = stmt.iterate(...p);
          return { columns: stmt.columns().map((c) => c.name), rows: (function* () { for (const r of rows) yield Object.values(r); })() };
        },
      };
      return statement;
    },
    exec,
    pragma: (source, options) => retryBusy(() => pragmaVia((sql) => db.prepare(sql).all().map((r) => ({ ...r })), source, options?.simple)),
    transaction: (fn) => makeTransaction(exec, depth, fn),
    close: () => db.close(),
  };
}
