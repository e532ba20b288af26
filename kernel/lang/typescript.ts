// The one way mlnb loads TypeScript: lazily, with `require`, once per thread.
//
// `import ts from "typescript"` at the top of a module put TypeScript (about 9 MB of CommonJS) on
// the path of everything that imported that module, and an ES `import` of it also runs Node's
// CommonJS export scanner over the whole file (about a second on a loaded machine). `require`
// skips the scanner, and calling this only where TypeScript is needed keeps it off the path of a
// restored stage and of an unchecked cell.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type * as TS from "typescript";

const require = createRequire(import.meta.url);
let loaded: typeof TS | undefined;

/** TypeScript, loaded on first call (synchronously; later calls return the same module). */
export function typescript(): typeof TS {
  return (loaded ??= require("typescript") as typeof TS);
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
