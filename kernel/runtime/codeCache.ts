// Loads a large CommonJS file (TypeScript's 9 MB compiler) with a V8 code cache kept on disk: Node 20 has no module.enableCompileCache.
//
// The first load compiles the file as `require` would and, once the caller has used the module a
// while (`save`), writes V8's cached data: the top-level code and every function compiled so far
// (the parser, binder and checker paths of a first type check). Later loads hand that data to
// `vm.Script`, which skips compiling what it covers. V8 refuses data made by another V8 version,
// other flags or another source, and then the file is simply compiled (and the cache rewritten);
// a cache folder that cannot be read or written means no cache, never an error.
//
// Beside the cached data it keeps the file's source already wrapped as a CommonJS function, the
// text V8 compiles. On this class of machine a first touch of memory is slow (~17 us a page), and
// reading 9 MB as UTF-8 then wrapping it (a second 9 MB string, flattened) cost ~330 ms; an ASCII
// file read as bytes and turned into a one-byte string in one step costs ~170 (read plus compile, measured).
// A copy whose text is ASCII says so in its name and is read without the ASCII scan (9 MB: ~20 ms here).
import { isAscii } from "node:buffer";
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire, Module } from "node:module";
import { dirname, join } from "node:path";
import vm from "node:vm";
import { threadId } from "node:worker_threads";

/** A module loaded through the code cache, and how to keep the cache for the next process. */
export interface CachedModule<T> {
  exports: T;
  /** Whether V8 accepted cached data for this load. */
  fromCache: boolean;
  /** Whether the source came from the wrapped copy kept beside the cache (not the file itself). */
  fromKeptSource: boolean;
  /** Write the cache now (once per load, and only when this load did not come from an accepted cache), and the wrapped source if none was kept. */
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

/** The wrapped source kept beside `cacheFile` (independent of Node's version: named by the file's size and mtime only). */
function wrappedSourceFile(cacheFile: string): string {
  return cacheFile.replace(/-node[^-]+-[^-]+\.v8cache$/, "").replace(/\.v8cache$/, "") + ".wrapped.js";
}

/** The same copy when its text is ASCII, which its name then says: read as one-byte text without a scan (9 MB: ~20 ms here). */
function asciiCopyFile(keptFile: string): string {
  return keptFile.replace(/\.wrapped\.js$/, ".ascii.wrapped.js");
}

/** A file's text: ASCII bytes become a one-byte string directly (no UTF-8 decoder, no second copy). */
export function readText(path: string): string {
  const bytes = readFileSync(path);
  return isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8");
}

/**
 * `path`'s source wrapped as Node wraps a CommonJS module, from the kept copy when it is whole;
 * `kept` tells which, `rename` that it is ASCII kept under the plain name (by an older mlnb).
 */
function wrappedSource(path: string, keptFile: string): { text: string; kept: boolean; rename?: boolean } {
  const size = statSync(path).size;
  const wrapperLength = Module.wrap("").length;
  // A copy is written whole or not at all (a rename); its length is checked all the same.
  const whole = (file: string) => {
    try {
      return statSync(file).size === size + wrapperLength;
    } catch {
      return false; // no copy yet
    }
  };
  const ascii = asciiCopyFile(keptFile);
  if (whole(ascii)) return { text: readFileSync(ascii).toString("latin1"), kept: true };
  if (whole(keptFile)) {
    const bytes = readFileSync(keptFile);
    return isAscii(bytes) ? { text: bytes.toString("latin1"), kept: true, rename: true } : { text: bytes.toString("utf8"), kept: true };
  }
  return { text: Module.wrap(readText(path)), kept: false };
}

/** Keep `text`, the wrapped source, beside the cache: under the ASCII name when it is ASCII (and then not under the plain one). */
function keepWrappedSource(keptFile: string, text: string): void {
  const bytes = Buffer.from(text, "utf8");
  if (!isAscii(bytes)) return writeWhole(keptFile, bytes);
  writeWhole(asciiCopyFile(keptFile), bytes);
  rmSync(keptFile, { force: true });
}

/** Write `data` to `file` whole: a temp file of this thread renamed into place (threads and processes race harmlessly). */
export function writeWhole(file: string, data: string | Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${threadId}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/**
 * `require(path)` through V8's code cache in `cacheFile`: the module is registered in `require.cache`
 * like a required one (a later `require` of it returns the same exports). Already required: returned as is.
 */
export function requireWithCodeCache<T>(path: string, cacheFile: string): CachedModule<T> {
  const M = Module as ModuleInternals;
  const existing = M._cache[path];
  if (existing) return { exports: existing.exports as T, fromCache: false, fromKeptSource: false, save: () => {} };
  const keptFile = wrappedSourceFile(cacheFile);
  const source = wrappedSource(path, keptFile);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(source.text, { filename: path, ...(cachedData ? { cachedData } : {}) });
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
    fromKeptSource: source.kept,
    save() {
      if (saved && source.kept && !source.rename) return;
      try {
        if (!saved) writeWhole(cacheFile, script.createCachedData());
        if (!source.kept || source.rename) keepWrappedSource(keptFile, source.text);
      } catch {
        // A read-only install: the next process compiles again.
      }
      saved = true;
      source.kept = true;
      source.rename = false;
    },
  };
}
