// read.ndjson / read.ndjsonBatches: newline-delimited JSON from a file or any byte stream, whole or in table batches.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import * as aq from "arquero";
import type { ColumnTable } from "arquero";
import { setRoot } from "../lineage.js";
import { ReadError } from "./errors.js";
import { displayPath, fileNotFound, recordInput, resolvePath } from "./inputs.js";
import { parseJSONText, recordsToTable } from "./json.js";
import { finishFile, loadFile } from "./source.js";

export interface NdjsonBatchOptions {
  /** Rows per yielded table (default 10,000). */
  batchSize?: number;
}

/** Split NDJSON text into records; errors carry the 1-based line (and column) of the bad line. */
export function parseLines(text: string, source: string, firstLine = 1): object[] {
  const out: object[] = [];
  let line = firstLine, start = 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const raw = text.slice(start, end).trim();
    if (raw) {
      const v = parseJSONText(raw, source, line - 1);
      if (!v || typeof v !== "object" || Array.isArray(v)) throw new ReadError(source, `line is not a JSON object: ${raw.slice(0, 60)}`, line, 1);
      out.push(v);
    }
    line++;
    start = end + 1;
  }
  return out;
}

/** Read a whole NDJSON file (one JSON object per line). Records the file and its sha256. */
export async function readNDJSON(path: string): Promise<ColumnTable> {
  const { bytes, sha256, shown } = await loadFile(path);
  const table = recordsToTable(parseLines(bytes.toString("utf8"), shown), shown);
  return finishFile(table, path, "ndjson", sha256, bytes.length);
}

/**
 * Yield tables of up to `batchSize` records from a stream of NDJSON bytes. Every batch is a
 * lineage root over rows [offset, offset + n) of the stream (key `rootKey`), so batches of one
 * stream are distinct rows of one source. `onEnd` gets the sha256 and byte count of the stream.
 */
export async function* ndjsonBatches(
  chunks: AsyncIterable<Uint8Array>, source: string, rootKey: string, kind: string, batchSize = 10_000,
  onEnd?: (sha256: string, bytes: number) => void,
): AsyncGenerator<ColumnTable> {
  const hash = createHash("sha256");
  const decoder = new TextDecoder();
  let carry = "", line = 1, offset = 0, bytes = 0;
  let pending: object[] = [];
  const emit = (): ColumnTable => {
    const table = recordsToTable(pending, source);
    setRoot(table, { kind, name: source }, rootKey, undefined, offset);
    offset += pending.length;
    pending = [];
    return table;
  };
  for await (const chunk of chunks) {
    hash.update(chunk);
    bytes += chunk.length;
    const text = carry + decoder.decode(chunk, { stream: true });
    const last = text.lastIndexOf("\n");
    if (last < 0) { carry = text; continue; }
    carry = text.slice(last + 1);
    const complete = text.slice(0, last);
    for (const r of parseLines(complete, source, line)) {
      pending.push(r);
      if (pending.length >= batchSize) yield emit();
    }
    line += countLines(complete) + 1;
  }
  carry += decoder.decode();
  for (const r of parseLines(carry, source, line)) pending.push(r);
  if (pending.length || offset === 0) yield emit();
  onEnd?.(hash.digest("hex"), bytes);
}

function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf("\n"); i >= 0; i = s.indexOf("\n", i + 1)) n++;
  return n;
}

/** Stream an NDJSON file as tables of `batchSize` rows; the file is recorded (with its sha256) once fully read. */
export function readNDJSONBatches(path: string, options: NdjsonBatchOptions = {}): AsyncIterable<ColumnTable> {
  const shown = displayPath(path);
  const stream = createReadStream(resolvePath(path));
  const guarded = (async function* () {
    try {
      for await (const c of stream) yield c as Buffer;
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw err.code === "ENOENT" ? fileNotFound(path, e) : new ReadError(shown, err.message, undefined, undefined, { cause: e });
    }
  })();
  return ndjsonBatches(guarded, shown, `stream:${shown}`, "ndjson", options.batchSize, (sha, bytes) => recordInput(path, sha, "ndjson", bytes));
}

/** Concatenate the batches of a stream into one table (rows keep their stream lineage). */
export async function collect(batches: AsyncIterable<ColumnTable>): Promise<ColumnTable> {
  const parts: ColumnTable[] = [];
  for await (const t of batches) parts.push(t);
  if (!parts.length) return aq.table({});
  return parts.length === 1 ? parts[0] : (parts[0].concat(...parts.slice(1)) as ColumnTable);
}
