// Parts held as consecutive byte pieces: hashed and written piece by piece, concatenated only when something asks for `bytes`.
//
// A fresh 50 MB buffer is not free: on the machines measured here its first touch (page faults)
// cost more than encoding the table. A table's Arrow IPC is a list of column buffers (numeric
// columns are the table's own arrays), so it is kept as that list.
import type { Part } from "./types.js";

/** The pieces of a part: its chunks, or its bytes as the one piece. */
export function partChunks(part: Part): readonly Uint8Array[] {
  return part.chunks ?? [part.bytes];
}

/** Total length of byte pieces. */
export function chunksLength(chunks: readonly Uint8Array[]): number {
  let n = 0;
  for (const c of chunks) n += c.byteLength;
  return n;
}

/** The pieces as one buffer (the piece itself when there is one). */
export function concatChunks(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunksLength(chunks));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** A part whose content is `chunks` in order; `bytes` concatenates them on first access (and keeps the result). */
export function chunkedPart(name: string, chunks: readonly Uint8Array[]): Part {
  let bytes: Uint8Array | undefined;
  return {
    name,
    chunks,
    get bytes() {
      return (bytes ??= concatChunks(chunks));
    },
  };
}
