// Retry of a statement SQLite answers with SQLITE_BUSY without waiting (the switch to WAL ignores the busy handler).

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Run `fn`, retrying for up to `ms` while SQLite says the database is locked. */
export function retryBusy<T>(fn: () => T, ms = 10_000): T {
  for (const deadline = Date.now() + ms; ; ) {
    try {
      return fn();
    } catch (e) {
      if (!/database is locked|SQLITE_BUSY/i.test((e as Error).message) || Date.now() > deadline) throw e;
      Atomics.wait(sleeper, 0, 0, 20);
    }
  }
}
