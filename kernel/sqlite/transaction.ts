// Transactions for backends without their own helper: BEGIN/COMMIT/ROLLBACK, savepoints when nested.
import type { Transaction } from "./types.js";

/** Wrap `fn` so each call runs in one transaction on a database whose `exec` runs SQL. */
export function makeTransaction<A extends unknown[], R>(exec: (sql: string) => void, depth: { n: number }, fn: (...args: A) => R): Transaction<A, R> {
  const wrap = (begin: string) => (...args: A): R => {
    const nested = depth.n > 0;
    const name = `mlnb_sp${depth.n}`;
    exec(nested ? `SAVEPOINT ${name}` : begin);
    depth.n++;
    try {
      const result = fn(...args);
      depth.n--;
      exec(nested ? `RELEASE ${name}` : "COMMIT");
      return result;
    } catch (e) {
      depth.n--;
      try {
        exec(nested ? `ROLLBACK TO ${name}; RELEASE ${name}` : "ROLLBACK");
      } catch {
        // SQLite already rolled back (e.g. after SQLITE_FULL): the original error is the one to report
      }
      throw e;
    }
  };
  const tx = wrap("BEGIN") as Transaction<A, R>;
  tx.immediate = wrap("BEGIN IMMEDIATE");
  return tx;
}

/** Run `PRAGMA source` through `all` and shape the answer like better-sqlite3's `pragma`. */
export function pragmaVia(all: (sql: string) => Record<string, unknown>[], source: string, simple: boolean | undefined): unknown {
  const rows = all(`PRAGMA ${source}`);
  if (!simple) return rows;
  const first = rows[0];
  return first ? Object.values(first)[0] : undefined;
}
