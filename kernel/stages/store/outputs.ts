// Stage outputs to and from blobs: the one place both run stores (embedded, shared) encode and decode values.
import { isEncoded, type Encoding, type Json } from "../codecs/types.js";
import type { CodecRegistry } from "../codecs/registry.js";
import { canonicalJson } from "../codecs/canonicalJson.js";
import { chunksLength, partPieces } from "../codecs/chunks.js";
import type { BlobStore } from "./blobs.js";
import type { OutputRecord } from "./types.js";

/**
 * Encode a value to store it: each part is hashed while the blob store writes it (`BlobStore.write`:
 * the sha256 overlaps the copy to disk), so `storeOutput` then finds its blobs in place.
 */
export function encodeOutput(blobs: BlobStore, codecs: CodecRegistry, value: unknown): Promise<Encoding> {
  return codecs.encode(value, { digest: (part) => blobs.write(partPieces(part)) });
}

/**
 * The stored record of one output: an encoding's parts and sidecar are written as blobs first
 * (content-addressed, so writing one twice is harmless); an already stored record (a cache
 * restore) is kept as it is; an opaque value is recorded without bytes.
 */
export function storeOutput(blobs: BlobStore, name: string, value: Encoding | OutputRecord): OutputRecord {
  if (!("partHashes" in value) && "parts" in value) return { ...value, name };
  const e = value as Encoding;
  if (!isEncoded(e)) return { name, kind: "opaque", shape: e.shape, reason: e.reason, meta: {}, parts: [], size: 0 };
  const parts = e.parts.map((p, i) => ({ name: p.name, hash: blobs.put(partPieces(p), e.partHashes[i]), size: chunksLength(partPieces(p)) }));
  let sidecar: OutputRecord["sidecar"];
  if (e.sidecar !== undefined) {
    const bytes = Buffer.from(canonicalJson(e.sidecar), "utf8");
    sidecar = { hash: blobs.put(bytes), size: bytes.byteLength };
  }
  return { name, kind: e.kind, shape: e.shape, hash: e.hash, meta: e.meta, parts, size: e.size, ...(sidecar ? { sidecar } : {}) };
}

/** True when every blob an output needs (its parts and sidecar) is stored and it is not opaque; the blobs are marked used (see `BlobStore.touch`). */
export function outputRestorable(blobs: BlobStore, o: OutputRecord): boolean {
  // a missing sidecar would restore a table without its lineage: run the stage instead
  return o.kind !== "opaque" && o.parts.every((p) => blobs.touch(p.hash)) && (!o.sidecar || blobs.touch(o.sidecar.hash));
}

/**
 * Decode stored outputs back into values (blob contents are verified against their hashes),
 * handing each codec the sidecar stored beside its value (a table's lineage).
 */
export async function decodeOutputs(blobs: BlobStore, codecs: CodecRegistry, outputs: readonly OutputRecord[]): Promise<Record<string, unknown>> {
  const values: Record<string, unknown> = {};
  for (const o of outputs) {
    if (o.kind === "opaque") throw new Error(`output "${o.name}" is opaque (${o.reason ?? "no codec"}) and was not stored`);
    const sidecar = o.sidecar ? (JSON.parse(new TextDecoder().decode(blobs.get(o.sidecar.hash))) as Json) : undefined;
    values[o.name] = await codecs.decode({ kind: o.kind, meta: o.meta, parts: o.parts.map((p) => ({ name: p.name, bytes: blobs.get(p.hash) })), ...(sidecar !== undefined ? { sidecar } : {}) });
  }
  return values;
}
