// Types shared by value codecs: encoded parts, encodings, opaque values, and the codec interface.

/** JSON data (for codec metadata). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One named byte part of an encoded value (a table has one, a model two: model.json + weights.bin). */
export interface Part {
  name: string;
  bytes: Uint8Array;
  /** The same bytes as consecutive pieces, when the codec made them so, some perhaps made on demand (chunks.ts): hashing and blob writing stream these. */
  pieces?: readonly Piece[];
}

/**
 * Bytes made on demand. `open()` gives a cursor: each call writes the next bytes into `into`
 * (a window of at least 8 bytes, a multiple of 8, starting 8-byte aligned; at least one byte
 * while any remain) and returns how many, 0 at the end.
 * `bytes()` makes them whole once and keeps them.
 */
export interface LazyBytes {
  readonly byteLength: number;
  open(): (into: Uint8Array) => number;
  bytes(): Uint8Array;
}

/** A piece of a part: bytes, or bytes made on demand. */
export type Piece = Uint8Array | LazyBytes;

/** A value a codec could encode: what it is, how big, its bytes and its content hash. */
export interface EncodedValue {
  kind: string;
  /** Human-readable shape for tables of stages: "344×7", "Float32Array[10]", "3 layers, 1,203 params". */
  shape: string;
  /** Small JSON the codec needs to decode (column groups, array type...); part of the hash. */
  meta: { [key: string]: Json };
  parts: Part[];
  /** sha256 (hex) of each part's bytes, in the order of `parts`. */
  partHashes: string[];
  /** sha256 over kind, meta and the part hashes: equal hashes mean equal values. */
  hash: string;
  /** Total bytes of the parts. */
  size: number;
  /**
   * JSON kept beside the value and handed back to `decode`, NOT part of the hash: what a value
   * knows about itself that differs between equal values (a table's lineage, whose split ids
   * come from a process-wide counter, so the kernel and an exported script would disagree).
   */
  sidecar?: Json;
}

/** A value no codec can store; its stage is never cached. */
export interface OpaqueValue {
  kind: "opaque";
  /** What the value is ("function", "Map(3)", "instance of Foo"). */
  shape: string;
  /** Why it cannot be stored, for the stage table. */
  reason: string;
}

export type Encoding = EncodedValue | OpaqueValue;

/** What a codec's `encode` returns: the parts, or why this value cannot be encoded after all. */
export type CodecOutput = { shape: string; parts: Part[]; meta?: { [key: string]: Json }; sidecar?: Json } | { opaque: string; shape?: string };

/**
 * A codec turns values of one kind into bytes and back. `accepts` must be cheap (it is asked
 * of every value); `encode` may still decline a value with `{ opaque: reason }`. `decode` gets
 * the sidecar `encode` returned, when the store kept one (values stored before sidecars have none).
 */
export interface Codec<T = unknown> {
  kind: string;
  accepts(value: unknown): value is T;
  encode(value: T): CodecOutput | Promise<CodecOutput>;
  decode(parts: ReadonlyMap<string, Uint8Array>, meta: { [key: string]: Json }, sidecar?: Json): T | Promise<T>;
}

/** True for an encoding that can be stored (not opaque). */
export function isEncoded(e: Encoding): e is EncodedValue {
  return e.kind !== "opaque";
}
