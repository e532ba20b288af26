// swc for stripping TypeScript: the native @swc/core where its binary loads, else the WebAssembly build.
//
// @swc/core ships one binary per platform (an optional dependency each); @swc/wasm runs anywhere
// (slower to load, see bench/installs.ts). Every transpile in the kernel calls through here.
import { readFileSync } from "node:fs";
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
  const failures: string[] = [];
  for (const name of buildOrder(env)) {
    try {
      loaded = { name, swc: require(name) as Swc };
      return loaded;
    } catch (e) {
      failures.push(`${name}: ${String((e as Error)?.message ?? e).split("\n")[0]}`);
    }
  }
  throw noBuild(failures);
}

/** The builds to try, in order: the one MLNB_SWC names, else the native one first. */
function buildOrder(env: NodeJS.ProcessEnv): SwcBuildName[] {
  const wanted = env.MLNB_SWC?.trim();
  return wanted === "@swc/core" || wanted === "@swc/wasm" ? [wanted] : ["@swc/core", "@swc/wasm"];
}

/**
 * Check that an swc build is installed, without loading it (the native binary takes about 60 ms):
 * throws swcBuild's message when none is. Returns the first build found.
 */
export function swcInstalled(env: NodeJS.ProcessEnv = process.env): SwcBuildName {
  const require = createRequire(import.meta.url);
  const failures: string[] = [];
  for (const name of buildOrder(env)) {
    try {
      require.resolve(name);
      return name;
    } catch (e) {
      failures.push(`${name}: ${String((e as Error)?.message ?? e).split("\n")[0]}`);
    }
  }
  throw noBuild(failures);
}

/** Whether this process has loaded an swc build (a fresh kernel over a warm store needs none). */
export function swcLoaded(): boolean {
  return loaded !== undefined;
}

/** The installed version of each swc build (from package.json, nothing loaded): part of what names a kept strip. */
export function swcVersions(): string {
  const require = createRequire(import.meta.url);
  return (["@swc/core", "@swc/wasm"] as const)
    .map((name) => {
      try {
        return `${name}@${(JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")) as { version: string }).version}`;
      } catch {
        return `${name}@none`;
      }
    })
    .join(" ");
}

function noBuild(failures: string[]): Error {
  return new Error(`mlnb cannot strip TypeScript types: no swc build loads on Node ${process.versions.node} (${process.platform}-${process.arch}): ${failures.join("; ")}. Reinstall mlnb (npm install brings @swc/wasm, which runs everywhere).`);
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
