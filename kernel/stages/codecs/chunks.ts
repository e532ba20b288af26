// Parts held as consecutive byte pieces: hashed and written piece by piece, concatenated only when something asks for `bytes`.
//
// A fresh 50 MB buffer is not free: on the machines measured here its first touch (page faults)
// cost more than encoding the table. A table's Arrow IPC is a list of column buffers (numeric
// columns are the table's own arrays), so it is kept as that list. Buffers a codec computes
// (string offsets and bytes, dictionary keys) can be lazy pieces: produced window by window into
// a small scratch buffer that is hashed and written and then reused, so their bytes never sit in
// fresh memory (`materialize` fills them in whole only when asked).
import type { Part, Piece, LazyBytes } from "./types.js";

export type { Piece, LazyBytes };

/** True for a piece made on demand (see `LazyBytes`). */
export function isLazy(piece: Piece): piece is LazyBytes {
  return !(piece instanceof Uint8Array);
}

/** The pieces of a part as they are, lazy ones included (its bytes as the one piece when it has none): what hashing and blob writing stream through. */
export function partPieces(part: Part): readonly Piece[] {
  return part.pieces ?? [part.bytes];
}

/** Total length of byte pieces (lazy ones by their length, without making them). */
export function chunksLength(chunks: readonly Piece[]): number {
  let n = 0;
  for (const c of chunks) n += c.byteLength;
  return n;
}

/** The pieces with every lazy one filled in (each makes its bytes once and keeps them). */
export function materialize(pieces: readonly Piece[]): Uint8Array[] {
  return pieces.map((p) => (isLazy(p) ? p.bytes() : p));
}

/** The pieces as one buffer (the piece itself when there is one). */
export function concatChunks(chunks: readonly Piece[]): Uint8Array {
  if (chunks.length === 1 && !isLazy(chunks[0]!)) return chunks[0]!;
  const out = new Uint8Array(chunksLength(chunks));
  let at = 0;
  for (const c of materialize(chunks)) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/**
 * Hand the bytes of `pieces` to `each` in order: a byte piece as it is, a lazy one in windows
 * produced into `scratch` (each window is overwritten by the next: `each` must use it at once).
 */
export function forEachWindow(pieces: readonly Piece[], scratch: Uint8Array, each: (bytes: Uint8Array) => void): void {
  checkWindow(scratch);
  for (const p of pieces) {
    if (!isLazy(p)) {
      if (p.byteLength) each(p);
      continue;
    }
    const next = p.open();
    for (let n = next(scratch); n > 0; n = next(scratch)) each(scratch.subarray(0, n));
  }
}

/** Throws unless `window` is a buffer lazy pieces can be made into (see `LazyBytes`). */
export function checkWindow(window: Uint8Array): void {
  if (window.byteLength < 8 || window.byteLength % 8 || window.byteOffset % 8) throw new Error(`internal: a window for lazy bytes must be 8-byte aligned and a multiple of 8 bytes long (got ${window.byteLength} bytes at ${window.byteOffset})`);
}

/**
 * Lazy bytes of `byteLength`: `open` gives a cursor from `content` and then zeros up to the
 * length (Arrow's padding); `bytes()` makes them into a buffer of their own once and keeps it.
 */
export function lazyBytes(byteLength: number, content: () => (into: Uint8Array) => number): LazyBytes {
  let made: Uint8Array | undefined;
  const open = () => {
    const next = content();
    let at = 0;
    let done = false;
    return (into: Uint8Array): number => {
      if (at >= byteLength) return 0;
      const room = Math.min(into.byteLength, byteLength - at);
      let n = done ? 0 : next(room === into.byteLength ? into : into.subarray(0, room));
      if (n === 0) {
        // the content ended: zero padding up to the length
        done = true;
        n = room;
        into.fill(0, 0, n);
      }
      at += n;
      return n;
    };
  };
  return {
    byteLength,
    open,
    bytes() {
      if (!made) {
        const out = new Uint8Array(byteLength);
        const next = open();
        for (let at = 0; at < byteLength; ) at += next(out.subarray(at));
        made = out;
      }
      return made;
    },
  };
}

/** A part whose content is `pieces` in order; `bytes` joins them (lazy ones made) on first access and keeps the result. */
export function chunkedPart(name: string, pieces: readonly Piece[]): Part {
  let bytes: Uint8Array | undefined;
  return {
    name,
    pieces,
    get bytes() {
      return (bytes ??= concatChunks(pieces));
    },
  };
}
