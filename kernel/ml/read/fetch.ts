// HTTP fetching with a per-request timeout and retries with exponential backoff (shared by the HTTP readers).
import { ReadError } from "./errors.js";

export interface FetchOptions {
  /** Attempts after the first on network errors, timeouts, 429 and 5xx (default 3). */
  retries?: number;
  /** First backoff delay in ms, doubled each retry (default 200); a Retry-After header wins. */
  backoffMs?: number;
  /** Per-request timeout in ms (default 30,000). */
  timeoutMs?: number;
  headers?: Record<string, string>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** GET a URL; fails with a ReadError naming the URL, the status or cause, and the attempts made. */
export async function fetchWithRetry(url: string, options: FetchOptions = {}): Promise<Response> {
  const retries = options.retries ?? 3, backoff = options.backoffMs ?? 200, timeout = options.timeoutMs ?? 30_000;
  let lastError = "";
  for (let attempt = 0; attempt <= retries; attempt++) {
    let wait = backoff * 2 ** attempt;
    try {
      const res = await fetch(url, { headers: options.headers, signal: AbortSignal.timeout(timeout) });
      if (res.ok) return res;
      lastError = `HTTP ${res.status} ${res.statusText}`.trim();
      await res.body?.cancel();
      if (res.status !== 429 && res.status < 500) throw new ReadError(url, lastError);
      const after = Number(res.headers.get("retry-after"));
      if (Number.isFinite(after) && after > 0) wait = after * 1000;
    } catch (e) {
      if (e instanceof ReadError) throw e;
      const err = e as Error & { cause?: { code?: string } };
      lastError = err.name === "TimeoutError" ? `timed out after ${timeout} ms` : `${err.message}${err.cause?.code ? ` (${err.cause.code})` : ""}`;
    }
    if (attempt < retries) await sleep(wait);
  }
  throw new ReadError(url, `${lastError} (after ${retries + 1} attempts)`);
}
