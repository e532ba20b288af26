// read.http: records from a JSON HTTP API, following pagination, with retries, backoff and timeouts.
import * as aq from "arquero";
import type { ColumnTable } from "arquero";
import { hashString } from "../context.js";
import { setRoot } from "../lineage.js";
import { ReadError } from "./errors.js";
import { fetchWithRetry, type FetchOptions } from "./fetch.js";
import { parseJSONText, recordsToTable } from "./json.js";

/** How to find the next page. */
export type Pagination =
  | "link"
  | { page: string; start?: number; sizeParam?: string; size?: number }
  | { cursor: string; param: string }
  | ((body: unknown, url: string, response: Response) => string | undefined);

export interface HttpOptions extends FetchOptions {
  /** Where the records are in a response body: a dotted path ("data.items"); default the body itself or its data/items/results/records array. */
  records?: string;
  /** Follow pages: "link" (Link rel="next" header, the default when present), page numbers, a cursor field, or a function. */
  paginate?: Pagination;
  /** Stop after this many pages (default 1,000). */
  maxPages?: number;
}

function at(body: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), body);
}

function recordsOf(body: unknown, path: string | undefined, url: string): unknown[] {
  const v = path ? at(body, path) : Array.isArray(body) ? body : ["data", "items", "results", "records"].map((k) => at(body, k)).find(Array.isArray);
  if (!Array.isArray(v)) throw new ReadError(url, `no array of records in the response${path ? ` at "${path}"` : ""} (set the records option)`);
  return v;
}

function nextLink(res: Response, url: string): string | undefined {
  const link = res.headers.get("link");
  const m = link && /<([^>]+)>\s*;\s*rel="?next"?/.exec(link);
  return m ? new URL(m[1], url).toString() : undefined;
}

/**
 * Read every record of a JSON HTTP API into one table. Pages are fetched one after another
 * until the pagination says stop (no next link/cursor, or an empty page); each request has a
 * timeout and is retried with exponential backoff on network errors, 429 and 5xx.
 */
export async function readHTTP(url: string, options: HttpOptions = {}): Promise<ColumnTable> {
  const rows: unknown[] = [];
  const p = options.paginate;
  let next: string | undefined = url;
  let page = typeof p === "object" && "page" in p ? (p.start ?? 1) : 0;
  const withParams = (base: string, params: Record<string, string>): string => {
    const u = new URL(base);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    return u.toString();
  };
  if (typeof p === "object" && "page" in p) next = withParams(url, { [p.page]: String(page), ...(p.sizeParam ? { [p.sizeParam]: String(p.size ?? 100) } : {}) });
  for (let pages = 0; next && pages < (options.maxPages ?? 1000); pages++) {
    const current: string = next;
    const res = await fetchWithRetry(current, options);
    const body = parseJSONText(await res.text(), current);
    const records = recordsOf(body, options.records, current);
    rows.push(...records);
    next = undefined;
    if (typeof p === "function") next = p(body, current, res);
    else if (typeof p === "object" && "page" in p) next = records.length ? withParams(current, { [p.page]: String(++page) }) : undefined;
    else if (typeof p === "object" && "cursor" in p) {
      const c = at(body, p.cursor);
      next = c !== undefined && c !== null && c !== "" && records.length ? withParams(current, { [p.param]: String(c) }) : undefined;
    } else next = nextLink(res, current);
  }
  const table = rows.length ? recordsToTable(rows, url) : aq.table({});
  setRoot(table, { kind: "http", name: url }, `http:${url}#${hashString(JSON.stringify(rows))}`);
  return table;
}
