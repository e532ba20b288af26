// The portable backend: SQLite compiled to WebAssembly (node-sqlite3-wasm), files through node:fs.
//
// Its file lock is a `FILE.lock` directory (Node has no fcntl), taken for every transaction and
// invisible to native SQLite: see docs/installs.md for what that means when backends mix.
import { rmdirSync, statSync, utimesSync } from "node:fs";
import { createRequire } from "node:module";
import { retryBusy } from "./busy.js";
import { makeTransaction, pragmaVia } from "./transaction.js";
import type { OpenOptions, SqlDatabase, SqlParams, SqlStatement, SqlValue } from "./types.js";

interface WasmStatement {
  run(values?: unknown): { changes: number; lastInsertRowid: number | bigint };
  get(values?: unknown): Record<string, unknown> | undefined;
  all(values?: unknown): Record<string, unknown>[];
  iterate(values?: unknown): IterableIterator<Record<string, unknown>>;
  finalize(): void;
  /** Internal to node-sqlite3-wasm 0.8 (pinned): the result column names from sqlite3_column_name. */
  _getColumnNames?(): string[];
}
interface WasmDatabase {
  prepare(sql: string): WasmStatement;
  exec(sql: string): void;
  all(sql: string): Record<string, unknown>[];
  close(): void;
}
type WasmModule = { Database: new (path: string, options?: { readOnly?: boolean; fileMustExist?: boolean }) => WasmDatabase };

/** How long a statement waits for another process's lock before "database is locked". */
const BUSY_MS = 10_000;
/** A lock directory this old when a database opens is a killed writer's (transactions take milliseconds). */
const STALE_LOCK_MS = 5_000;

/** Load the WebAssembly build (compiled once per process). */
export function loadWasmSqlite(): (file: string, options: OpenOptions) => SqlDatabase {
  const mod = createRequire(import.meta.url)("node-sqlite3-wasm") as WasmModule;
  return (file, options) => open(mod, file, options);
}

/** Run `fn`, retrying while another process holds the lock (up to BUSY_MS), and clearing a dead writer's lock. */
function whenFree<T>(file: string, fn: () => T): T {
  return retryBusy(fn, { ms: BUSY_MS, onBusy: () => clearStaleLock(file) });
}

/**
 * Remove the lock directory of a writer that was killed mid-transaction (kill -9 leaves it behind):
 * live holders keep theirs fresh (transactions take milliseconds; a connection holding the lock
 * for good touches it every second).
 */
function clearStaleLock(file: string): void {
  try {
    if (Date.now() - statSync(`${file}.lock`).mtimeMs > STALE_LOCK_MS) rmdirSync(`${file}.lock`);
  } catch {
    // no lock, or another process removed it first
  }
}

function open(mod: WasmModule, file: string, options: OpenOptions): SqlDatabase {
  clearStaleLock(file);
  let db = new mod.Database(file, { readOnly: options.readonly ?? false, fileMustExist: options.fileMustExist ?? false });
  let heartbeat: NodeJS.Timeout | undefined;
  try {
    whenFree(file, () => db.all("PRAGMA schema_version"));
  } catch (e) {
    if (!/unable to open database file/.test((e as Error).message)) throw e;
    // A database a native backend put in WAL mode: without shared memory, WebAssembly SQLite reads
    // it only holding the lock for the whole connection (one process at a time).
    db.close();
    db = new mod.Database(file, { readOnly: options.readonly ?? false, fileMustExist: true });
    db.exec("PRAGMA locking_mode = EXCLUSIVE");
    whenFree(file, () => db.all("PRAGMA schema_version"));
    heartbeat = setInterval(() => {
      const now = new Date();
      try {
        utimesSync(`${file}.lock`, now, now);
      } catch {
        // not holding it at this moment
      }
    }, 1000).unref();
  }
  return wrap(db, file, () => clearInterval(heartbeat));
}

/** `@name`, `:name` and `$name` in the SQL, by bare name: the keys this backend wants. */
function namedKeys(sql: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const m of sql.matchAll(/([@:$])([A-Za-z_][A-Za-z0-9_]*)/g)) if (!keys.has(m[2]!)) keys.set(m[2]!, m[1]! + m[2]!);
  return keys;
}

function wrap(db: WasmDatabase, file: string, onClose: () => void): SqlDatabase {
  const depth = { n: 0 };
  const statements: WasmStatement[] = [];
  const exec = (sql: string) => whenFree(file, () => db.exec(sql));
  return {
    backend: "wasm",
    prepare(sql) {
      const stmt = whenFree(file, () => db.prepare(sql));
      statements.push(stmt);
      const keys = namedKeys(sql);
      const bind = (p: SqlParams): unknown => {
        if (p.length === 1 && p[0] !== null && typeof p[0] === "object" && !(p[0] instanceof Uint8Array)) {
          return Object.fromEntries(Object.entries(p[0] as Record<string, SqlValue>).map(([k, v]) => [keys.get(k) ?? k, v]));
        }
        return p.length ? p : undefined;
      };
      const statement: SqlStatement = {
        run: (...p: SqlParams) => whenFree(file, () => stmt.run(bind(p))),
        get: (...p: SqlParams) => whenFree(file, () => stmt.get(bind(p))),
        all: (...p: SqlParams) => whenFree(file, () => stmt.all(bind(p))),
        table: (...p: SqlParams) => {
          const rows = whenFree(file, () => stmt.all(bind(p)));
          return { columns: stmt._getColumnNames?.() ?? Object.keys(rows[0] ?? {}), rows: rows.map((r) => Object.values(r)) };
        },
        iterate: (...p: SqlParams) => {
          if (!stmt._getColumnNames) return statement.table(...p);
          const rows = whenFree(file, () => stmt.iterate(bind(p)));
          return { columns: stmt._getColumnNames(), rows: (function* () { for (const r of rows) yield Object.values(r); })() };
        },
      };
      return statement;
    },
    exec,
    pragma: (source, options) => pragmaVia((sql) => whenFree(file, () => db.all(sql)), source, options?.simple),
    transaction: (fn) => makeTransaction(exec, depth, fn),
    close() {
      onClose();
      for (const s of statements.splice(0)) s.finalize();
      db.close();
    },
  };
}
