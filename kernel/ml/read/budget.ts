// How big a read may grow before it streams: the memory budget, size estimates, and the one table-or-batches decision every reader calls.
//
// `stream: "auto"` returns a table when the estimate fits the budget and a stream of table batches
// when it does not; `true` / `false` force either. Without the option a reader returns a table,
// and refuses (naming the source, the estimate and the budget) rather than run the process out of
// memory: a caller that asked for a table gets a table or a clear error, never a stream it did not
// expect.
import { getHeapStatistics } from "node:v8";
import type { ColumnTable } from "arquero";
import { ReadError } from "./errors.js";

/** Whether a read returns one table (false), table batches (true) or decides by size ("auto"). */
export type StreamMode = boolean | "auto";

/** Options every size-aware reader takes. */
export interface StreamOptions {
  /** true: always batches; false: always one table; "auto": a table when it fits `memoryBudget`, else batches. Default: a table, refused past the budget. */
  stream?: StreamMode;
  /** Bytes a table may take in memory (default: `MLNB_MEMORY_BUDGET_MB`, else half of the V8 heap still free). */
  memoryBudget?: number;
}

/**
 * The memory budget of a read in bytes: `options.memoryBudget`, else the environment's
 * `MLNB_MEMORY_BUDGET_MB`, else half of what the V8 heap may still grow by (so a process started
 * with `--max-old-space-size=256` gets about 100 MB).
 */
export function memoryBudget(options: StreamOptions = {}, source = "read"): number {
  if (options.memoryBudget !== undefined) {
    if (!(typeof options.memoryBudget === "number" && options.memoryBudget > 0)) throw new ReadError(source, `memoryBudget must be a positive number of bytes, got ${String(options.memoryBudget)}`);
    return options.memoryBudget;
  }
  const env = process.env.MLNB_MEMORY_BUDGET_MB;
  if (env !== undefined && env !== "") {
    const mb = Number(env);
    if (!(mb > 0)) throw new ReadError(source, `MLNB_MEMORY_BUDGET_MB must be a positive number of megabytes, got ${JSON.stringify(env)}`);
    return mb * 2 ** 20;
  }
  const heap = getHeapStatistics();
  return Math.max(1 << 20, Math.floor((heap.heap_size_limit - heap.used_heap_size) / 2));
}

/** Megabytes, for messages. */
export function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(bytes < 10 * 2 ** 20 ? 1 : 0)} MB`;
}

/**
 * Decide whether a read of about `estimate` bytes streams. `verb` and `source` name the call in
 * the error a plain call (no `stream` option) gets when the estimate is over the budget.
 */
export function shouldStream(estimate: number, options: StreamOptions, source: string, verb: string): boolean {
  const mode = options.stream;
  if (mode !== undefined && mode !== true && mode !== false && mode !== "auto") throw new ReadError(source, `stream must be true, false or "auto", got ${JSON.stringify(mode)}`);
  if (mode === true) return true;
  if (mode === false) return false;
  const budget = memoryBudget(options, source);
  if (estimate <= budget) return false;
  if (mode === "auto") return true;
  throw new ReadError(source, `${verb} would hold about ${mb(estimate)} in memory, over the budget of ${mb(budget)}: pass { stream: "auto" } to get table batches when it does not fit (or stream: true), raise memoryBudget / MLNB_MEMORY_BUDGET_MB, or force one table with stream: false`);
}

/**
 * Bytes a table takes in memory, roughly: 8 a number (typed or boxed), 2 a UTF-16 code unit plus
 * 16 a string (measured on up to 1,000 rows), 16 anything else.
 */
export function tableBytes(t: ColumnTable): number {
  const n = t.numRows();
  if (n === 0) return 0;
  const sample = Math.min(n, 1000);
  let perRow = 0;
  for (const name of t.columnNames()) {
    const get = t.getter(name);
    let bytes = 0;
    for (let i = 0; i < sample; i++) {
      const v = get(Math.floor((i * n) / sample));
      bytes += typeof v === "number" || typeof v === "boolean" ? 8 : typeof v === "string" ? 16 + 2 * v.length : 16;
    }
    perRow += bytes / sample;
  }
  return Math.ceil(perRow * n);
}

/** The outcome of collecting batches under a budget: the whole table, or `undefined` when it outgrew the budget. */
export interface Collected { table?: ColumnTable; bytes: number; rows: number }

/**
 * Concatenate `batches` into one table while their estimated size stays within `budget` bytes;
 * stop at the first batch that crosses it (the caller then streams). Used where the size is
 * known only by reading (query results).
 */
export async function collectWithin(batches: AsyncIterable<ColumnTable>, budget: number): Promise<Collected> {
  const parts: ColumnTable[] = [];
  let bytes = 0;
  let rows = 0;
  for await (const b of batches) {
    bytes += tableBytes(b);
    rows += b.numRows();
    if (bytes > budget) return { bytes, rows };
    parts.push(b);
  }
  const table = parts.length === 1 ? parts[0]! : (parts[0]!.concat(...parts.slice(1)) as ColumnTable);
  return { table, bytes, rows };
}
