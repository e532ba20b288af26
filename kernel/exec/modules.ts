// Resolves a cell's imports: the notebook's folder first, then mlnb's own node_modules.
import { isBuiltin } from "node:module";
import { isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { BUILTIN_MODULES, PACKAGE_ROOT } from "../lang/paths.js";

/** Thrown when a cell imports a module found neither beside the notebook nor in mlnb. */
export class ModuleNotFoundError extends Error {
  constructor(specifier: string, notebookDir: string) {
    super(`Cannot find module "${specifier}" from the notebook's folder (${notebookDir}) or from mlnb's own packages. Install it beside the notebook (npm install ${specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/")}).`);
    this.name = "ModuleNotFoundError";
  }
}

/**
 * Returns the URL a cell's import specifier loads. `import.meta.resolve` with a parent URL
 * needs node's --experimental-import-meta-resolve, which the kernel is started with.
 */
export function resolveCellImport(specifier: string, notebookDir: string): string {
  if (BUILTIN_MODULES[specifier]) return pathToFileURL(BUILTIN_MODULES[specifier]).href;
  if (isBuiltin(specifier)) return specifier.startsWith("node:") ? specifier : `node:${specifier}`;
  if (specifier.startsWith(".") || isAbsolute(specifier)) return pathToFileURL(resolve(notebookDir, specifier)).href;
  if (/^[a-z]+:/.test(specifier)) return specifier;
  const resolveFrom = import.meta.resolve as unknown as (s: string, parent: string) => string;
  for (const dir of [notebookDir, PACKAGE_ROOT]) {
    try {
      const url = resolveFrom(specifier, pathToFileURL(join(dir, "__cell__.js")).href);
      // Without the flag the parent is ignored and resolution is from this file: fine for the fallback.
      if (url) return url;
    } catch {
      // not found from this folder: try the next
    }
  }
  throw new ModuleNotFoundError(specifier, notebookDir);
}

/** Default export of a module as TypeScript's esModuleInterop sees it (CJS: module.exports). */
export function interopDefault(ns: Record<string, unknown>): unknown {
  return ns && "default" in ns ? ns.default : ns;
}
