// Node module hooks for a notebook's local modules: TypeScript stripped by swc, JSON as a default export, extensionless imports.
//
// Registered (module.register) by the executor before a cell's first local import. A cell's
// import URL carries `?mlnb=HASH` (the hash of the modules it reaches): the same query is passed
// on to local imports inside, so an edited helper loads afresh with everything that imports it.
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { transform } from "../transpile/swc.js";
import { isLocalSpecifier, resolveLocalModule } from "./localModules.js";

type Resolve = (specifier: string, context: { parentURL?: string }, next: Resolve) => Promise<{ url: string; format?: string; shortCircuit?: boolean }>;
type Load = (url: string, context: { format?: string }, next: Load) => Promise<{ format: string; source?: string | Buffer; shortCircuit?: boolean }>;

const local = (url: string) => url.startsWith("file:") && !url.includes("/node_modules/");

/** Resolve a local import from a local module (extensionless, `.js` for `.ts`), keeping the parent's version query. */
export const resolve: Resolve = async (specifier, context, next) => {
  const parent = context.parentURL;
  if (parent && local(parent) && isLocalSpecifier(specifier) && !specifier.startsWith("file:")) {
    const from = dirname(fileURLToPath(parent));
    const file = resolveLocalModule(specifier, from);
    if (file) {
      const query = new URL(parent).search;
      return { url: pathToFileURL(file).href + (file.includes("/node_modules/") ? "" : query), shortCircuit: true };
    }
  }
  return next(specifier, context, next);
};

const ESM_SYNTAX = /^\s*(import\s*[\w{*"']|export\s)/m;

/** Load .ts/.mts as ES modules (types stripped), .json as `export default`, ESM-looking local .js as a module. */
export const load: Load = async (url, context, next) => {
  if (!local(url)) return next(url, context, next);
  const path = fileURLToPath(url);
  if (/\.m?ts$/.test(path)) {
    const source = await readFile(path, "utf8");
    const out = await transform(source, {
      filename: path,
      sourceMaps: "inline",
      isModule: true,
      jsc: { parser: { syntax: "typescript", tsx: false, decorators: true }, target: "es2022", transform: { verbatimModuleSyntax: false, useDefineForClassFields: true } },
    });
    return { format: "module", source: out.code, shortCircuit: true };
  }
  if (path.endsWith(".json")) {
    const text = await readFile(path, "utf8");
    return { format: "module", source: `export default ${JSON.stringify(JSON.parse(text))};`, shortCircuit: true };
  }
  if (path.endsWith(".js")) {
    const r = await next(url, context, next);
    // A .js file in a folder without "type": "module" is CommonJS to Node; one written as ESM loads as ESM, as TypeScript treats it.
    if (r.format === "commonjs") {
      const text = await readFile(path, "utf8");
      if (ESM_SYNTAX.test(text)) return { format: "module", source: text, shortCircuit: true };
    }
    return r;
  }
  return next(url, context, next);
};
