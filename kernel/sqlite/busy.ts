// Retry of a statement SQLite answers with SQLITE_BUSY (the switch to WAL ignores the busy handler; WebAssembly SQLite has none): the one retry loop of every backend.

const sleeper = new Int32Array(new SharedArrayBuffer(4));

export interface RetryBusyOptions {
  /** How long to keep retrying (ms, default 10,000). */
  ms?: number;
  /** Called before each wait (the WebAssembly backend clears a dead writer's lock there). */
  onBusy?: () => void;
}

/**
 * Run `fn`, retrying while SQLite says the database is locked, waiting 2 ms at first and twice as
 * long each time up to 50 ms, for up to `ms`; then the last error is thrown.
 */
export function retryBusy<T>(fn: () => T, options: RetryBusyOptions = {}): T {
  const { ms = 10_000, onBusy } = options;
  const deadline = Date.now() + ms;
  for (let wait = 2; ; wait = Math.min(wait * 2, 50)) {
    try {
      return fn();
    } catch (e) {
      if (!/database is locked|SQLITE_BUSY/i.test((e as Error).message) || Date.now() > deadline) throw e;
      onBusy?.();
      Atomics.wait(sleeper, 0, 0, wait);
    }
  }
}
