// read.ndjsonHttp: NDJSON arriving over HTTP, consumed as it streams in, as an async iterable of table batches.
import type { ColumnTable } from "arquero";
import { fetchWithRetry, type FetchOptions } from "./fetch.js";
import { ndjsonBatches } from "./ndjson.js";
import { ReadError } from "./errors.js";

export interface NdjsonHttpOptions extends FetchOptions {
  /** Rows per yielded table (default 10,000). */
  batchSize?: number;
}

/**
 * Stream NDJSON from a URL: batches are yielded while the response is still arriving, so a
 * long or endless feed can be processed incrementally. Connecting is retried (not the stream).
 */
export async function* readNDJSONHttp(url: string, options: NdjsonHttpOptions = {}): AsyncGenerator<ColumnTable> {
  const res = await fetchWithRetry(url, options);
  if (!res.body) throw new ReadError(url, "response has no body");
  const body = res.body as unknown as AsyncIterable<Uint8Array>;
  yield* ndjsonBatches(body, url, `stream:${url}`, "ndjson-http", options.batchSize);
}
