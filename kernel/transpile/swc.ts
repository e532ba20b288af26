// swc for stripping TypeScript: the native @swc/core where its binary loads, else the WebAssembly build.
//
// @swc/core ships one binary per platform (an optional dependency each); @swc/wasm runs anywhere
// (slower to load, see bench/installs.ts). Every transpile in the kernel calls through here.
import { createRequire } from "node:module";
import type { Options, Output } from "@swc/core";

interface Swc {
  transformSync(code: string, options: Options): Output;
  transform(code: string, options: Options): Promise<Output>;
}

/** Which build answers. */
export type SwcBuildName = "@swc/core" | "@swc/wasm";

let loaded: { name: SwcBuildName; swc: Swc } | undefined;

/** The swc build: MLNB_SWC names one (`@swc/core` or `@swc/wasm`), else the first that loads. */
export function swcBuild(env: NodeJS.ProcessEnv = process.env): { name: SwcBuildName; swc: Swc } {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const wanted = env.MLNB_SWC?.trim();
  const order: SwcBuildName[] = wanted === "@swc/core" || wanted === "@swc/wasm" ? [wanted] : ["@swc/core", "@swc/wasm"];
  const failures: string[] = [];
  for (const name of order) {
    try {
      loaded = { name, swc: require(name) as Swc };
      return loaded;
    } catch (e) {
      failures.push(`${name}: ${String((e as Error)?.message ?? e).split("\n")[0]}`);
    }
  }
  throw new Error(`mlnb cannot strip TypeScript types: no swc build loads on Node ${process.versions.node} (${process.platform}-${process.arch}): ${failures.join("; ")}. Reinstall mlnb (npm install brings @swc/wasm, which runs everywhere).`);
}

// The WebAssembly build throws its syntax errors as strings: callers get an Error from either build.
const asError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));

/** Strip types from one module's source (synchronous). */
export function transformSync(code: string, options: Options): Output {
  try {
    return swcBuild().swc.transformSync(code, options);
  } catch (e) {
    throw asError(e);
  }
}

/** Strip types from one module's source (asynchronous, for module loader hooks). */
export async function transform(code: string, options: Options): Promise<Output> {
  try {
    return await swcBuild().swc.transform(code, options);
  } catch (e) {
    throw asError(e);
  }
}
