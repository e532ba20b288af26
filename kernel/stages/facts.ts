// What the kernel derives from a cell's code with TypeScript's parser, remembered across kernels by the code's hash.
//
// The stage graph (defs/refs), a stage's cache key (its normalized code), the declarations a
// restored stage re-runs and the `%%params` values are pure functions of the cell's text. A
// fresh kernel over a warm store finds them in `facts/` of the store folder and never loads
// TypeScript for a restored stage. An entry is keyed by the code, what is derived, TypeScript's
// version and the text of the analysing modules themselves, so a changed analyser misses.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { openJsonFileCache, type JsonFileCache } from "../json/fileCache.js";
import { typescriptVersion } from "../lang/typescript.js";
import { extractParams, type ParamDef, type SkippedConst } from "../magics/paramValues.js";
import { hashNormalizedCode, normalizedCode } from "./cacheKey.js";
import { analyzeCell, type CellNames } from "./defs.js";
import { declarationsOnly } from "./restore.js";

/** The `%%params` of a cell (see magics/paramValues.ts). */
export type ParamsFacts = { params: ParamDef[]; skipped: SkippedConst[] };

/** Derived facts of cells, from memory, the folder, or computed (loading TypeScript) and stored. */
export interface CellFacts {
  /** `analyzeCell(code)`. */
  analyze(code: string): CellNames;
  /** `codeHash(code, modulesHash)`. */
  codeHash(code: string, modulesHash?: string): string;
  /** `declarationsOnly(code)`. */
  declarationsOnly(code: string): string;
  /** `extractParams(code)`. */
  params(code: string): ParamsFacts;
}

type Kind = "analyze" | "normal" | "declarations" | "params";

/** The modules whose output is remembered: their compiled text is part of every key. */
const ANALYSERS = ["./defs.js", "./cacheKey.js", "./restore.js", "../magics/paramValues.js"];

let fingerprint: string | undefined;
function analysersFingerprint(): string {
  if (fingerprint) return fingerprint;
  const h = createHash("sha256").update(`mlnb-facts-v1\0${typescriptVersion()}`);
  for (const m of ANALYSERS) {
    try {
      h.update(`\0${readFileSync(new URL(m, import.meta.url), "utf8")}`);
    } catch {
      h.update(`\0missing ${m}`);
    }
  }
  return (fingerprint = h.digest("hex"));
}

/** A value that survives JSON unchanged (no Infinity, -0 or undefined inside): only those are kept on disk. */
const jsonExact = (value: unknown): boolean => isDeepStrictEqual(JSON.parse(JSON.stringify(value)), value);

/**
 * Open the facts kept in `dir` (undefined: computed every time, in memory only). Computing a fact
 * loads TypeScript; reading one does not.
 */
export function openCellFacts(dir: string | undefined): CellFacts {
  const memory = new Map<string, unknown>();
  let files: JsonFileCache<{ value: unknown }> | undefined;
  const disk = () => (files ??= openJsonFileCache(dir!, (v): v is { value: unknown } => typeof v === "object" && v !== null && "value" in v));

  function fact<T>(kind: Kind, code: string, compute: (code: string) => T): T {
    const key = createHash("sha256").update(`${analysersFingerprint()}\0${kind}\0${code}`).digest("hex");
    if (memory.has(key)) return memory.get(key) as T;
    const stored = dir ? disk().get(key) : undefined;
    let value: T;
    if (stored) value = stored.value as T;
    else {
      value = compute(code);
      if (dir && jsonExact(value)) disk().set(key, { value });
    }
    if (memory.size >= 1024) memory.delete(memory.keys().next().value!);
    memory.set(key, value);
    return value;
  }

  return {
    analyze: (code) => fact("analyze", code, analyzeCell),
    codeHash: (code, modulesHash) => hashNormalizedCode(fact("normal", code, normalizedCode), modulesHash),
    declarationsOnly: (code) => fact("declarations", code, declarationsOnly),
    params: (code) => fact("params", code, extractParams),
  };
}
