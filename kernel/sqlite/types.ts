// The SQLite surface mlnb uses (a subset of better-sqlite3's), which every backend in this folder provides.

/** Values a statement binds or returns. */
export type SqlValue = number | bigint | string | Uint8Array | null;

/** Positional values, or one object of named values (`@name` in the SQL, `name` as the key). */
export type SqlParams = SqlValue[] | [Record<string, SqlValue>];

/** What `run` reports. */
export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

/** A prepared statement, owned by its database (closing the database finalizes it). */
export interface SqlStatement {
  run(...params: SqlParams): RunResult;
  get(...params: SqlParams): unknown;
  all(...params: SqlParams): unknown[];
  /** Result column names and rows as arrays in that order (no columns: the statement returns no rows). */
  table(...params: SqlParams): { columns: string[]; rows: unknown[][] };
  /** Like `table`, but the rows are stepped one at a time as they are iterated (for results larger than memory). */
  iterate(...params: SqlParams): { columns: string[]; rows: Iterable<unknown[]> };
}

/** `fn` run in one transaction: BEGIN (or BEGIN IMMEDIATE via `.immediate`), COMMIT, ROLLBACK on a throw. */
export interface Transaction<A extends unknown[], R> {
  (...args: A): R;
  immediate(...args: A): R;
}

/** Which implementation answers. */
export type SqliteBackendName = "better-sqlite3" | "node:sqlite" | "wasm";

/** An open database. */
export interface SqlDatabase {
  readonly backend: SqliteBackendName;
  prepare(sql: string): SqlStatement;
  exec(sql: string): void;
  /** `PRAGMA source`; with `simple`, the first column of the first row. */
  pragma(source: string, options?: { simple?: boolean }): unknown;
  transaction<A extends unknown[], R>(fn: (...args: A) => R): Transaction<A, R>;
  close(): void;
}

export interface OpenOptions {
  readonly?: boolean;
  /** Fail rather than create a missing file. */
  fileMustExist?: boolean;
}
