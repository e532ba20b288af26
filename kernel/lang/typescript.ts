// The one way mlnb loads TypeScript: lazily, with `require`, once per thread.
//
// `import ts from "typescript"` at the top of a module put TypeScript (about 9 MB of CommonJS) on
// the path of everything that imported that module, and an ES `import` of it also runs Node's
// CommonJS export scanner over the whole file (about a second on a loaded machine). `require`
// skips the scanner, and calling this only where TypeScript is needed keeps it off the path of a
// restored stage and of an unchecked cell.
//
// It loads through V8's code cache (kernel/runtime/codeCache.ts), kept in `node_modules/.cache/mlnb`
// beside the TypeScript it was made from; MLNB_CODE_CACHE=off loads it with a plain `require`.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type * as TS from "typescript";
import { codeCacheFile, requireWithCodeCache } from "../runtime/codeCache.js";
import { mark } from "../runtime/trace.js";

const require = createRequire(import.meta.url);
let loaded: typeof TS | undefined;
let saveCache: (() => void) | undefined;

/** The folder of TypeScript's code cache and kept library texts (`node_modules/.cache/mlnb`), or undefined with MLNB_CODE_CACHE=off or outside node_modules. */
export function typescriptCacheDir(): string | undefined {
  const nodeModules = dirname(dirname(dirname(require.resolve("typescript")))); // .../node_modules/typescript/lib/typescript.js
  if (process.env.MLNB_CODE_CACHE === "off" || !nodeModules.endsWith("node_modules")) return undefined;
  return join(nodeModules, ".cache", "mlnb");
}

/** TypeScript, loaded on first call (synchronously; later calls return the same module). */
export function typescript(): typeof TS {
  if (loaded) return loaded;
  const path = require.resolve("typescript");
  const cacheDir = typescriptCacheDir();
  if (!cacheDir) return (loaded = require(path) as typeof TS);
  let file: string;
  try {
    file = codeCacheFile(path, cacheDir, "typescript");
  } catch {
    return (loaded = require(path) as typeof TS);
  }
  const mod = requireWithCodeCache<typeof TS>(path, file);
  saveCache = mod.save;
  mark("typescript loaded");
  return (loaded = mod.exports);
}

/**
 * Keep TypeScript's code cache for the next process (a no-op when this one loaded from it). Call it
 * after a first type check, so the cache covers the compiler functions a check compiles too.
 */
export function keepTypeScriptCodeCache(): void {
  saveCache?.();
  saveCache = undefined;
}

/** True when this thread has loaded TypeScript (through this module or any `require` of it). */
export function typescriptLoaded(): boolean {
  if (loaded) return true;
  try {
    return require.cache[require.resolve("typescript")] !== undefined;
  } catch {
    return false;
  }
}

/**
 * TypeScript as a value that loads it on first use: for modules whose functions call `ts.*`
 * throughout, so importing them costs nothing until one of their functions runs.
 */
export const ts: typeof TS = new Proxy({} as typeof TS, {
  get: (_target, key) => (typescript() as unknown as Record<string | symbol, unknown>)[key],
});

/** The installed TypeScript's version, read from its package.json (without loading TypeScript). */
export function typescriptVersion(): string {
  try {
    return (JSON.parse(readFileSync(require.resolve("typescript/package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}
