// A persistent cache of cell type-check results (diagnostics and declarations) under the store folder.
//
// A fresh kernel that checks the same cell after the same earlier declarations, with the same
// TypeScript, compiler settings and local modules, gets the stored result without loading the
// checker. The key covers: TypeScript's and mlnb's versions, the ambient globals, the nearest
// tsconfig.json's text, the declarations known before the cell (in order), the cell text and the
// content of every local module the cell or those declarations import.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { localCacheDir } from "../stages/store/location.js";
import { openJsonFileCache } from "../json/fileCache.js";
import { typescriptVersion } from "../lang/typescript.js";
import { globalsText } from "../lang/host.js";
import { packageVersion } from "../version.js";
import { localModulesHash } from "./localModules.js";

/** What a check of one cell found: its diagnostics and the declarations it made for later cells. */
export interface CheckResult {
  diags: { line: number; column: number; message: string; code: number }[];
  decls: [string, string][];
}

export interface CheckCache {
  /** The key of checking `code` after `history` (name, declaration text, in order). */
  key(history: Iterable<[string, string]>, code: string): string;
  get(key: string): CheckResult | undefined;
  set(key: string, result: CheckResult): void;
}

/** The folder type-check results of a notebook are kept in: `typecheck/` in its store folder (beside it for a shared store). */
export function checkCacheDir(notebookPath: string): string {
  return localCacheDir(notebookPath, "typecheck");
}

function nearestTsconfig(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    const p = join(d, "tsconfig.json");
    if (existsSync(p)) return `${p}\0${readFileSync(p, "utf8")}`;
    if (dirname(d) === d) return "";
  }
}

/** Open the type-check cache kept in `dir` for cells of a notebook in `notebookDir`. Unreadable entries are misses. */
export function openCheckCache(dir: string, notebookDir: string): CheckCache {
  const base = createHash("sha256")
    .update(`mlnb-typecheck-v1\0${typescriptVersion()}\0${packageVersion()}\0${globalsText()}\0${nearestTsconfig(notebookDir)}`)
    .digest("hex");
  const files = openJsonFileCache(dir, (r): r is CheckResult => Array.isArray((r as CheckResult | null)?.diags) && Array.isArray((r as CheckResult).decls));
  return {
    key(history, code) {
      const h = createHash("sha256").update(base);
      let imports = "";
      for (const [name, text] of history) {
        h.update(`\0${name}\0${text}`);
        if (text.startsWith("import ")) imports += `${text}\n`;
      }
      h.update(`\0\0${code}\0${localModulesHash(imports + code, notebookDir) ?? ""}`);
      return h.digest("hex");
    },
    get: (key) => files.get(key),
    set: (key, result) => files.set(key, result),
  };
}
