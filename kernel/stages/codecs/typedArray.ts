// Typed arrays (Float32Array, Int32Array...) <-> their raw little-endian bytes.
import type { Codec } from "./types.js";

const CONSTRUCTORS = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
} as const;
type TypedName = keyof typeof CONSTRUCTORS;
type Typed = InstanceType<(typeof CONSTRUCTORS)[TypedName]>;

function typedName(value: unknown): TypedName | undefined {
  if (!ArrayBuffer.isView(value) || value instanceof DataView) return undefined;
  // Node's Buffer is a Uint8Array subclass: stored and restored as a Uint8Array.
  for (const name of Object.keys(CONSTRUCTORS) as TypedName[]) if (value instanceof CONSTRUCTORS[name]) return name;
  return undefined;
}

/** Typed arrays keep their element type; the bytes are copied out of any larger buffer they view. */
export const typedArrayCodec: Codec<Typed> = {
  kind: "typed-array",
  accepts: (value): value is Typed => typedName(value) !== undefined,
  encode(value) {
    const type = typedName(value)!;
    return {
      shape: `${type}[${value.length}]`,
      parts: [{ name: "data.bin", bytes: new Uint8Array(value.buffer, value.byteOffset, value.byteLength) }],
      meta: { type },
    };
  },
  decode(parts, meta) {
    const ctor = CONSTRUCTORS[meta.type as TypedName];
    if (!ctor) throw new Error(`typed-array codec: unknown array type ${String(meta.type)}`);
    const bytes = parts.get("data.bin") ?? new Uint8Array(0);
    const copy = bytes.slice().buffer;
    return new ctor(copy, 0, bytes.byteLength / ctor.BYTES_PER_ELEMENT);
  },
};
