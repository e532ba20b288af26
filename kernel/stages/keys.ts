// Cache-key hashes that need no parser: the params a stage reads and its inputs.
import { canonicalJson } from "./codecs/canonicalJson.js";
import { sha256 } from "./codecs/hash.js";

/** Hash of the params a stage reads (`names`; all of `values` when omitted), order-independent. */
export function paramsHash(values: Record<string, unknown>, names?: readonly string[]): string {
  const picked = names ? Object.fromEntries(names.filter((n) => n in values).map((n) => [n, values[n]])) : values;
  return sha256(`mlnb-params-v1\0${canonicalJson(picked)}`);
}

/** Hash of a stage's inputs (name -> content hash), order-independent. */
export function inputsHash(inputs: Record<string, string>): string {
  return sha256(`mlnb-inputs-v1\0${canonicalJson(inputs)}`);
}
