// Content hashes of encoded values: sha256 of each part, then of kind + meta + part hashes.
import { createHash } from "node:crypto";
import { canonicalJson } from "./canonicalJson.js";
import type { Json } from "./types.js";

/** sha256 (hex) of bytes, a UTF-8 string, or consecutive byte pieces (the hash of their concatenation). */
export function sha256(data: Uint8Array | string | readonly Uint8Array[]): string {
  if (typeof data === "string" || data instanceof Uint8Array) return createHash("sha256").update(data).digest("hex");
  const h = createHash("sha256");
  for (const piece of data) h.update(piece);
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
