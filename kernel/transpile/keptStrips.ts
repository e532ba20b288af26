// swc's output for a cell, kept across kernels by the code's hash: a fresh kernel over a warm store strips nothing and loads no swc.
//
// Stripping types is a pure function of the code, swc's version and the options, so the output is
// kept in a folder of the store (`stripped/`) like the cell facts (stages/facts.ts) and the type
// checks (exec/checkCache.ts). Loading swc's native binary costs about 60 ms, paid by every kernel
// whose first cell needed stripping; a kernel that finds every cell here never loads it.
import { createHash } from "node:crypto";
import type { Options } from "@swc/core";
import { openJsonFileCache, type JsonFileCache } from "../json/fileCache.js";
import { swcVersions, transformSync } from "./swc.js";

/** What stripping gives: the JavaScript and swc's source map (JSON text), if asked for. */
export interface Stripped {
  code: string;
  map?: string;
}

/** Strip the types from `code` with swc `options` (the file name only labels the source map). */
export type Strip = (code: string, options: Options) => Stripped;

const isStripped = (v: unknown): v is Stripped =>
  typeof v === "object" && v !== null && typeof (v as Stripped).code === "string" && ((v as Stripped).map === undefined || typeof (v as Stripped).map === "string");

let versions: string | undefined;

/**
 * A strip that remembers its outputs in `dir` (undefined: in memory only). A kept output is used
 * only for the same code, options and installed swc versions; an unreadable one is a miss.
 */
export function keptStrips(dir: string | undefined): Strip {
  const memory = new Map<string, Stripped>();
  let files: JsonFileCache<Stripped> | undefined;
  return (code, options) => {
    const { filename: _label, ...rest } = options;
    const key = createHash("sha256").update(`mlnb-strip-v1\0${(versions ??= swcVersions())}\0${JSON.stringify(rest)}\0${code}`).digest("hex");
    const known = memory.get(key) ?? (dir ? (files ??= openJsonFileCache(dir, isStripped)).get(key) : undefined);
    if (known) return remember(memory, key, known);
    const out = transformSync(code, options);
    const stripped: Stripped = { code: out.code, ...(out.map !== undefined ? { map: out.map } : {}) };
    if (dir) (files ??= openJsonFileCache(dir, isStripped)).set(key, stripped);
    return remember(memory, key, stripped);
  };
}

function remember(memory: Map<string, Stripped>, key: string, value: Stripped): Stripped {
  if (memory.size >= 256) memory.delete(memory.keys().next().value!);
  memory.set(key, value);
  return value;
}
