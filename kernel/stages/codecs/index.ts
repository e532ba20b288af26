// Value codecs: encode a stage's outputs to bytes with content hashes, and decode them back.
export { createCodecRegistry, KIND, type CodecRegistry, type CodecRegistryOptions } from "./registry.js";
export { canonicalJson, describe, whyNotJson } from "./canonicalJson.js";
export { sha256, valueHash } from "./hash.js";
export { tableCodec } from "./table.js";
export { createModelCodec } from "./model.js";
export { typedArrayCodec } from "./typedArray.js";
export { jsonCodec, undefinedCodec } from "./json.js";
export { isEncoded, type Codec, type CodecOutput, type EncodedValue, type Encoding, type Json, type OpaqueValue, type Part } from "./types.js";
