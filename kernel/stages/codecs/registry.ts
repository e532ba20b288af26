// The codec registry: picks a codec for a value, encodes and hashes it, and decodes stored parts.
import { canonicalJson, describe } from "./canonicalJson.js";
import { sha256, valueHash } from "./hash.js";
import { chunksLength, partPieces } from "./chunks.js";
import { jsonCodec, undefinedCodec } from "./json.js";
import { createModelCodec } from "./model.js";
import { tableCodec } from "./table.js";
import { typedArrayCodec } from "./typedArray.js";
import type { Codec, EncodedValue, Encoding, Json, OpaqueValue, Part } from "./types.js";

/** The tag a class can carry instead of (or besides) a `kind` property, to name its JSON kind. */
export const KIND = Symbol.for("mlnb.kind");

export interface CodecRegistry {
  /** Add a codec; codecs registered later are asked before earlier ones and before the built-ins. */
  register(codec: Codec<any>): void;
  /**
   * Handle values that have `toJSON()` and a kind tag (`value[KIND]` or `value.kind`) equal to
   * `kind`: they are stored as the canonical JSON of `toJSON()` and rebuilt with `fromJSON`.
   * This is how the ML library's fitted transformers are cached.
   */
  registerJsonKind<T>(kind: string, fromJSON: (json: any) => T): void;
  /**
   * Handle values that `accepts` picks and that have `toJSON()`: stored as kind `json:<kind>`
   * (canonical JSON of `toJSON()`), rebuilt with `fromJSON`. For a family of classes sharing one
   * reviver, e.g. `registerJsonCodec("transformer", (v) => v instanceof Fitted, prep.fromJSON)`.
   */
  registerJsonCodec<T>(kind: string, accepts: (value: unknown) => boolean, fromJSON: (json: any) => T): void;
  /** The codec for `value`, or undefined when only "opaque" fits. */
  codecFor(value: unknown): Codec<any> | undefined;
  /**
   * Encode and hash `value`; values no codec takes are `{ kind: "opaque", reason }` (never throws for those).
   * `digest` gives each part's sha256 instead of hashing it here: the run store hashes a part
   * while it writes it (see `encodeOutput` in store/outputs.ts).
   */
  encode(value: unknown, options?: { digest?: (part: Part) => string | Promise<string> }): Promise<Encoding>;
  /**
   * Rebuild a value from its kind, meta and parts (by name), and the sidecar stored beside it if
   * any. An `encode` result can be passed as is; an opaque one is refused with its reason.
   */
  decode(stored: { kind: string; meta: { [key: string]: Json }; parts: ReadonlyMap<string, Uint8Array> | readonly Part[]; sidecar?: Json } | OpaqueValue): Promise<unknown>;
}

export interface CodecRegistryOptions {
  /** Include the built-in codecs (tables, models, typed arrays, JSON). Default true. */
  builtins?: boolean;
  /** The tfjs module for rebuilding models (default: import `@tensorflow/tfjs` when first needed). */
  loadTf?: Parameters<typeof createModelCodec>[0];
}

interface WithToJson {
  toJSON(): unknown;
}

/** A JSON-kind value's shape: its `type` or kind tag (a transformer says "StandardScaler"). */
function shapeOf(value: unknown, kind: string): string {
  const type = (value as { type?: unknown }).type;
  return typeof type === "string" ? type : kind;
}

/** A registry with the built-in codecs; extend it with `register` / `registerJsonKind`. */
export function createCodecRegistry(options: CodecRegistryOptions = {}): CodecRegistry {
  const custom: Codec<any>[] = [];
  const builtins: Codec<any>[] = options.builtins === false ? [] : [tableCodec, createModelCodec(options.loadTf), typedArrayCodec, undefinedCodec, jsonCodec];
  const jsonKinds = new Map<string, Codec<any>>();
  const tagged = new Set<string>();

  const kindTag = (value: unknown): string | undefined => {
    if (value === null || typeof value !== "object" || typeof (value as WithToJson).toJSON !== "function") return undefined;
    const tag = (value as Record<symbol, unknown>)[KIND] ?? (value as { kind?: unknown }).kind;
    return typeof tag === "string" && tagged.has(tag) ? tag : undefined;
  };
  const byKind = (kind: string): Codec<any> | undefined => jsonKinds.get(kind) ?? [...custom, ...builtins].find((c) => c.kind === kind);

  const registry: CodecRegistry = {
    register(codec) {
      custom.unshift(codec);
    },
    registerJsonKind(kind, fromJSON) {
      tagged.add(kind);
      registry.registerJsonCodec(kind, (value) => kindTag(value) === kind, fromJSON);
    },
    registerJsonCodec(kind, accepts, fromJSON) {
      jsonKinds.set(`json:${kind}`, {
        kind: `json:${kind}`,
        accepts: (value): value is WithToJson => value !== null && typeof value === "object" && typeof (value as WithToJson).toJSON === "function" && accepts(value),
        encode(value: WithToJson) {
          const json = value.toJSON();
          const inner = jsonCodec.encode(json);
          if ("opaque" in inner) return { opaque: `${kind}.toJSON(): ${inner.opaque.replace(/^value/, "result")}`, shape: describe(value) };
          return { ...inner, shape: shapeOf(value, kind) };
        },
        decode: (parts) => fromJSON(JSON.parse(new TextDecoder().decode(parts.get("value.json")))),
      });
    },
    codecFor(value) {
      for (const codec of jsonKinds.values()) if (codec.accepts(value)) return codec;
      return custom.find((c) => c.accepts(value)) ?? builtins.find((c) => c.accepts(value));
    },
    async encode(value, options = {}) {
      const codec = registry.codecFor(value);
      if (!codec) return { kind: "opaque", shape: describe(value), reason: `${describe(value)} has no codec` };
      let out;
      try {
        out = await codec.encode(value);
      } catch (e) {
        return { kind: "opaque", shape: describe(value), reason: `the ${codec.kind} codec failed: ${(e as Error).message}` };
      }
      if ("opaque" in out) return { kind: "opaque", shape: out.shape ?? describe(value), reason: out.opaque };
      const meta = out.meta ?? {};
      const partHashes: string[] = [];
      for (const p of out.parts) partHashes.push(options.digest ? await options.digest(p) : sha256(partPieces(p)));
      const encoded: EncodedValue = {
        kind: codec.kind,
        shape: out.shape,
        meta: JSON.parse(canonicalJson(meta)) as { [key: string]: Json },
        parts: out.parts,
        partHashes,
        hash: valueHash(codec.kind, meta, out.parts, partHashes),
        size: out.parts.reduce((n, p) => n + chunksLength(partPieces(p)), 0),
        // beside the hash, never in it
        ...(out.sidecar !== undefined ? { sidecar: out.sidecar } : {}),
      };
      return encoded;
    },
    async decode(stored) {
      if (!("parts" in stored)) throw new Error(`cannot decode an opaque value (${stored.shape}: ${stored.reason}): it has no stored bytes`);
      const codec = byKind(stored.kind);
      if (!codec) throw new Error(`no codec for kind "${stored.kind}" (was it registered in this kernel?)`);
      const parts = stored.parts instanceof Map ? stored.parts : new Map((stored.parts as readonly Part[]).map((p) => [p.name, p.bytes]));
      return codec.decode(parts, stored.meta, stored.sidecar);
    },
  };
  return registry;
}
