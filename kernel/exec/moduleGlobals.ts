// Node's module globals for cells (require, module, __filename, __dirname, import.meta), as in a module file in the notebook's folder.
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";
import * as tslab from "./tslab.js";

/** Modules `require` gives from mlnb itself (tslab notebooks written in JavaScript `require("tslab")`). */
const REQUIRABLE: Record<string, unknown> = { tslab };

/** `require`, `module`, `exports`, `__filename`, `__dirname` for cells of the notebook at `notebookPath`. */
export function moduleGlobals(notebookPath: string): Record<string, unknown> {
  const nodeRequire = createRequire(notebookPath);
  const require = Object.assign((id: string) => (id in REQUIRABLE ? REQUIRABLE[id] : nodeRequire(id)), {
    resolve: nodeRequire.resolve,
    cache: nodeRequire.cache,
    main: nodeRequire.main,
    extensions: nodeRequire.extensions,
  }) as NodeJS.Require;
  const exports = {};
  const module = { id: ".", path: dirname(notebookPath), filename: notebookPath, exports, loaded: true, children: [], paths: require.resolve.paths("x") ?? [], require };
  return { require, module, exports, __filename: notebookPath, __dirname: dirname(notebookPath) };
}

/** `import.meta` of a cell: url, filename, dirname and resolve(), relative to the notebook. */
export function moduleMeta(notebookPath: string): { url: string; filename: string; dirname: string; resolve(specifier: string): string } {
  const url = pathToFileURL(notebookPath).href;
  const require = createRequire(notebookPath);
  return {
    url,
    filename: notebookPath,
    dirname: dirname(notebookPath),
    resolve: (specifier) => (/^[a-z]+:/.test(specifier) ? specifier : specifier.startsWith(".") || specifier.startsWith("/") ? new URL(specifier, url).href : pathToFileURL(require.resolve(specifier)).href),
  };
}

/** Names the kernel puts in every notebook's scope (not the user's variables: %who and the variables view leave them out). */
export const KERNEL_SCOPE_NAMES: ReadonlySet<string> = new Set(["display", "require", "module", "exports", "__filename", "__dirname"]);
