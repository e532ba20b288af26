// JSON-able values <-> canonical JSON (sorted keys), and `undefined` as a value with no bytes.
import { canonicalJson, describe, whyNotJson } from "./canonicalJson.js";
import type { Codec } from "./types.js";

const utf8 = new TextDecoder();

/** Plain data (null, booleans, finite numbers, strings, arrays, plain objects) as canonical JSON. */
export const jsonCodec: Codec<unknown> = {
  kind: "json",
  accepts: (value): value is unknown => value !== undefined,
  encode(value) {
    const why = whyNotJson(value);
    if (why) return { opaque: why, shape: describe(value) };
    return { shape: jsonShape(value), parts: [{ name: "value.json", bytes: Buffer.from(canonicalJson(value), "utf8") }] };
  },
  decode: (parts) => JSON.parse(utf8.decode(parts.get("value.json"))) as unknown,
};

/** `undefined` (a declared but unassigned `let x;`) round trips as itself. */
export const undefinedCodec: Codec<undefined> = {
  kind: "undefined",
  accepts: (value): value is undefined => value === undefined,
  encode: () => ({ shape: "undefined", parts: [] }),
  decode: () => undefined,
};

function jsonShape(value: unknown): string {
  if (Array.isArray(value)) return `array[${value.length}]`;
  if (value !== null && typeof value === "object") return `object{${Object.keys(value).length}}`;
  return value === null ? "null" : typeof value;
}
