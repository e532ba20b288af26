// Cache keys of a stage execution: hashes of its code, the params it reads, and its inputs.
export { inputsHash, paramsHash } from "./keys.js";
import ts from "typescript";
import { sha256 } from "./codecs/hash.js";

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

/**
 * Hash of a stage's code (magic lines removed), and of the local modules it imports when
 * `modulesHash` is given (see exec/localModules.ts: editing a helper changes the key). Comments and formatting do not count: the code
 * is parsed and printed back without comments, so re-indenting or commenting a stage keeps its
 * cache. Code that does not parse is hashed as written (after trimming line ends).
 */
export function codeHash(code: string, modulesHash?: string): string {
  const sf = ts.createSourceFile("stage.ts", code, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const diagnostics = (sf as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics ?? [];
  const normal = diagnostics.length === 0 ? printer.printFile(sf) : code.split("\n").map((l) => l.trimEnd()).join("\n").trim();
  return sha256(`mlnb-code-v1\0${normal}${modulesHash ? `\0modules:${modulesHash}` : ""}`);
}
