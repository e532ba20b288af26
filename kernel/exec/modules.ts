// Resolves a cell's imports: the notebook's folder first, then mlnb's own node_modules.
import { isBuiltin, register } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { isLocalSpecifier, localModulesHash, resolveLocalModule } from "./localModules.js";
import { BUILTIN_MODULES, MODULE_STAND_INS, PACKAGE_ROOT } from "../lang/paths.js";

/** Thrown when a cell imports a module found neither beside the notebook nor in mlnb. */
export class ModuleNotFoundError extends Error {
  constructor(specifier: string, notebookDir: string) {
    super(`Cannot find module "${specifier}" from the notebook's folder (${notebookDir}) or from mlnb's own packages. Install it beside the notebook (npm install ${specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/")}).`);
    this.name = "ModuleNotFoundError";
  }
}

/** Thrown when a cell imports a local file that is not there: names every absolute path tried. */
export class LocalModuleNotFoundError extends Error {
  constructor(specifier: string, tried: string[]) {
    super(`Cannot find local module "${specifier}": tried ${tried.join(", ")}`);
    this.name = "ModuleNotFoundError";
  }
}

let hooksRegistered = false;

/** Install the hooks that load local TypeScript and JSON modules (once, before the first local import). */
function registerLocalModuleHooks(): void {
  if (hooksRegistered) return;
  hooksRegistered = true;
  register(new URL("./tsLoader.js", import.meta.url));
}

/**
 * Returns the URL a cell's import specifier loads. `import.meta.resolve` with a parent URL
 * needs node's --experimental-import-meta-resolve, which the kernel is started with.
 */
export function resolveCellImport(specifier: string, notebookDir: string): string {
  if (BUILTIN_MODULES[specifier]) return pathToFileURL(BUILTIN_MODULES[specifier]).href;
  if (isBuiltin(specifier)) return specifier.startsWith("node:") ? specifier : `node:${specifier}`;
  if (isLocalSpecifier(specifier)) {
    const tried: string[] = [];
    const file = resolveLocalModule(specifier, notebookDir, tried);
    if (!file) throw new LocalModuleNotFoundError(specifier, tried);
    registerLocalModuleHooks();
    // The version is the hash of the module and what it imports: an edited helper is loaded again.
    const version = localModulesHash(`import ${JSON.stringify(specifier)};`, notebookDir);
    return `${pathToFileURL(file).href}?mlnb=${version?.slice(0, 16)}`;
  }
  if (/^[a-z]+:/.test(specifier)) return specifier;
  const found = resolvePackage(specifier, notebookDir);
  if (found) return found;
  const standIn = MODULE_STAND_INS[specifier];
  if (!standIn) throw new ModuleNotFoundError(specifier, notebookDir);
  if (!noticed.has(specifier)) {
    noticed.add(specifier);
    process.stderr.write(`mlnb: "${specifier}" is not installed: using @tensorflow/tfjs on mlnb's backend in its place (the same API apart from tf.node; npm install ${specifier} beside the notebook for the native one)\n`);
  }
  return pathToFileURL(standIn).href;
}

/** Stand-ins already announced (once per kernel). */
const noticed = new Set<string>();

/** A package's URL from the notebook's folder, else from mlnb's own packages; undefined when neither has it. */
function resolvePackage(specifier: string, notebookDir: string): string | undefined {
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
  return undefined;
}

/** Default export of a module as TypeScript's esModuleInterop sees it (CJS: module.exports). */
export function interopDefault(ns: Record<string, unknown>): unknown {
  return ns && "default" in ns ? ns.default : ns;
}
