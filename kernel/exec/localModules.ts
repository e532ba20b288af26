// Local modules beside a notebook (`./helpers`, `./lib/util.ts`): resolution, the files a cell imports, their content hash.
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { dirname, extname, isAbsolute, relative, resolve } from "node:path";

/** Extensions tried, in order, for an import written without one (TypeScript's and Node's). */
export const LOCAL_EXTENSIONS = [".ts", ".mts", ".js", ".mjs", ".json", ".cjs"];

const isFile = (p: string) => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/** True for `./x`, `../x` and absolute paths: a file, not a package. */
export function isLocalSpecifier(specifier: string): boolean {
  return specifier.startsWith("./") || specifier.startsWith("../") || specifier === "." || specifier === ".." || isAbsolute(specifier);
}

/**
 * The file a local specifier names from `fromDir`, as TypeScript finds it: as written, with an
 * extension added, `.js` written for a `.ts` file, or a folder's index. `tried` gets every path looked at.
 */
export function resolveLocalModule(specifier: string, fromDir: string, tried: string[] = []): string | undefined {
  const base = resolve(fromDir, specifier);
  const candidates = [base, ...LOCAL_EXTENSIONS.map((e) => base + e)];
  const ext = extname(base);
  if (ext === ".js" || ext === ".mjs") candidates.push(base.slice(0, -ext.length) + (ext === ".js" ? ".ts" : ".mts"));
  candidates.push(...LOCAL_EXTENSIONS.map((e) => `${base}/index${e}`));
  for (const c of candidates) {
    tried.push(c);
    if (isFile(c)) return c;
  }
  return undefined;
}

// import ... from "x", export ... from "x", import "x", import("x"), require("x")
const SPECIFIERS = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["']([^"'\n]+)["']/g;

/** Specifiers a piece of code imports (static, dynamic and require), as written. */
export function importSpecifiers(code: string): string[] {
  return [...new Set([...code.matchAll(SPECIFIERS)].map((m) => m[1]))];
}

/** Every local file `code` (in `dir`) imports, directly or through other local modules, sorted. */
export function localModuleFiles(code: string, dir: string): string[] {
  const seen = new Set<string>();
  const visit = (text: string, from: string) => {
    for (const spec of importSpecifiers(text)) {
      if (!isLocalSpecifier(spec)) continue;
      const file = resolveLocalModule(spec, from);
      if (!file || seen.has(file) || file.includes("/node_modules/")) continue;
      seen.add(file);
      if (/\.(m|c)?[jt]s$/.test(file)) visit(readFileSync(file, "utf8"), dirname(file));
    }
  };
  visit(code, dir);
  return [...seen].sort();
}

/** sha256 of a file's bytes. */
export function fileHash(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/**
 * One hash of the local modules `code` imports (paths relative to `dir` and contents); undefined
 * when it imports none. Part of a stage's cache key: editing a helper makes its stages stale.
 */
export function localModulesHash(code: string, dir: string): string | undefined {
  const files = localModuleFiles(code, dir);
  if (!files.length) return undefined;
  const h = createHash("sha256").update("mlnb-modules-v1");
  for (const f of files) h.update(`\0${relative(dir, f)}\0${fileHash(f)}`);
  return h.digest("hex");
}
