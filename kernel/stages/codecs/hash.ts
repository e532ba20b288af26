// Content hashes of encoded values: sha256 of each part, then of kind + meta + part hashes.
import { createHash } from "node:crypto";
import { canonicalJson } from "./canonicalJson.js";
import { forEachWindow } from "./chunks.js";
import type { Json, Piece } from "./types.js";

// where lazy pieces are made to be hashed: kept for the process, as memory touched once is cheap to reuse (chunks.ts)
let scratch: Uint8Array | undefined;

/** sha256 (hex) of bytes, a UTF-8 string, or consecutive pieces (the hash of their concatenation; lazy pieces made window by window). */
export function sha256(data: Uint8Array | string | readonly Piece[]): string {
  if (typeof data === "string" || data instanceof Uint8Array) return createHash("sha256").update(data).digest("hex");
  const h = createHash("sha256");
  forEachWindow(data, (scratch ??= new Uint8Array(1 << 20)), (bytes) => h.update(bytes));
  return h.digest("hex");
}

/**
 * The hash of a value from its kind, metadata and the hashes of its parts (a Merkle root), so
 * each byte is hashed once and a blob's name is its own part hash.
 */
export function valueHash(kind: string, meta: { [key: string]: Json }, parts: readonly { name: string }[], partHashes: readonly string[]): string {
  const h = createHash("sha256");
  h.update(`mlnb-value-v1\0${kind}\0${canonicalJson(meta)}\0`);
  parts.forEach((p, i) => h.update(`${p.name}\0${partHashes[i]}\0`));
  return h.digest("hex");
}
