// Loads a large CommonJS file (TypeScript's 9 MB compiler) with a V8 code cache kept on disk: Node 20 has no module.enableCompileCache.
//
// The first load compiles the file as `require` would and, once the caller has used the module a
// while (`save`), writes V8's cached data: the top-level code and every function compiled so far
// (the parser, binder and checker paths of a first type check). Later loads hand that data to
// `vm.Script`, which skips compiling what it covers. V8 refuses data made by another V8 version,
// other flags or another source, and then the file is simply compiled (and the cache rewritten);
// a cache folder that cannot be read or written means no cache, never an error.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire, Module } from "node:module";
import { dirname, join } from "node:path";
import vm from "node:vm";
import { threadId } from "node:worker_threads";

/** A module loaded through the code cache, and how to keep the cache for the next process. */
export interface CachedModule<T> {
  exports: T;
  /** Whether V8 accepted cached data for this load. */
  fromCache: boolean;
  /** Write the cache now (once per load, and only when this load did not come from an accepted cache). */
  save(): void;
}

/** Internals of Node's CommonJS loader this module uses to build a `module` as `require` does. */
type ModuleInternals = typeof Module & { _nodeModulePaths(dir: string): string[]; _cache: Record<string, Module> };

/**
 * The cache file for `path` in `cacheDir`: named by the file's size and mtime, Node's version and
 * the architecture, so a new TypeScript or a new Node gets a new file instead of a refusal.
 */
export function codeCacheFile(path: string, cacheDir: string, label: string): string {
  const st = statSync(path);
  return join(cacheDir, `${label}-${st.size}-${Math.floor(st.mtimeMs)}-node${process.versions.node}-${process.arch}.v8cache`);
}

/**
 * `require(path)` through V8's code cache in `cacheFile`: the module is registered in `require.cache`
 * like a required one (a later `require` of it returns the same exports). Already required: returned as is.
 */
export function requireWithCodeCache<T>(path: string, cacheFile: string): CachedModule<T> {
  const M = Module as ModuleInternals;
  const existing = M._cache[path];
  if (existing) return { exports: existing.exports as T, fromCache: false, save: () => {} };
  const source = readFileSync(path, "utf8");
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: path, ...(cachedData ? { cachedData } : {}) });
  const fromCache = cachedData !== undefined && !script.cachedDataRejected;
  const dir = dirname(path);
  const mod = new Module(path);
  mod.filename = path;
  mod.paths = M._nodeModulePaths(dir);
  M._cache[path] = mod;
  try {
    const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
    wrapper.call(mod.exports, mod.exports, createRequire(path), mod, path, dir);
  } catch (e) {
    delete M._cache[path];
    throw e;
  }
  mod.loaded = true;
  let saved = fromCache;
  return {
    exports: mod.exports as T,
    fromCache,
    save() {
      if (saved) return;
      saved = true;
      try {
        const data = script.createCachedData();
        mkdirSync(dirname(cacheFile), { recursive: true });
        // Threads and processes race harmlessly: each writes its own temp file and renames it into place.
        const tmp = `${cacheFile}.tmp-${process.pid}-${threadId}`;
        writeFileSync(tmp, data);
        renameSync(tmp, cacheFile);
      } catch {
        // A read-only install: the next process compiles again.
      }
    },
  };
}
