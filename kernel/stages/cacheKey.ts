// Cache keys of a stage execution: hashes of its code, the params it reads, and its inputs.
export { inputsHash, paramsHash } from "./keys.js";
import type * as TS from "typescript";
import { ts } from "../lang/typescript.js";
import { sha256 } from "./codecs/hash.js";

let printer: TS.Printer | undefined;

/**
 * Hash of a stage's code (magic lines removed), and of the local modules it imports when
 * `modulesHash` is given (see exec/localModules.ts: editing a helper changes the key). Comments and formatting do not count: the code
 * is parsed and printed back without comments, so re-indenting or commenting a stage keeps its
 * cache. Code that does not parse is hashed as written (after trimming line ends).
 */
export function codeHash(code: string, modulesHash?: string): string {
  return hashNormalizedCode(normalizedCode(code), modulesHash);
}

/** A stage's code as its hash sees it: printed back without comments, or trimmed as written when it does not parse. */
export function normalizedCode(code: string): string {
  const sf = ts.createSourceFile("stage.ts", code, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const diagnostics = (sf as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics ?? [];
  return diagnostics.length === 0 ? (printer ??= ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed })).printFile(sf) : code.split("\n").map((l) => l.trimEnd()).join("\n").trim();
}

/** `codeHash` from code already normalized (`normalizedCode`, possibly remembered from an earlier process). */
export function hashNormalizedCode(normal: string, modulesHash?: string): string {
  return sha256(`mlnb-code-v1\0${normal}${modulesHash ? `\0modules:${modulesHash}` : ""}`);
}
