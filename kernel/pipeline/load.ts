// Loads an exported `.pipeline.ts` with plain Node: types stripped by swc, imports resolved like a notebook cell's.
import { transformSync } from "../transpile/swc.js";
import { parse, type Node } from "acorn";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { resolveCellImport } from "../exec/modules.js";
import { PACKAGE_ROOT } from "./versions.js";

/** What `mlnb script` needs of a loaded script. */
export interface ScriptModule {
  main(argv: string[]): Promise<number>;
}

type AnyNode = Node & Record<string, any>;

/** Where `mlnb/pipeline` (the runner scripts import) lives in this mlnb. */
export const PIPELINE_ENTRY = join(PACKAGE_ROOT, "out", "kernel", "pipeline", "index.js");

/**
 * Compile a pipeline script to an ES module (pure text in, text out): TypeScript types are
 * stripped, each import specifier becomes the URL a notebook in the script's folder would load
 * (`mlnb` and `mlnb/pipeline` from this mlnb); imports are kept as written, as the kernel keeps a
 * cell's (verbatimModuleSyntax); and `import.meta.url` stays the script's own URL,
 * so paths relative to the script work wherever the compiled module is written.
 */
export function compileScript(source: string, scriptPath: string): string {
  const js = transformSync(source, {
    filename: scriptPath,
    isModule: true,
    jsc: { parser: { syntax: "typescript" }, target: "es2022", transform: { verbatimModuleSyntax: true } },
  }).code;
  const program = parse(js, { ecmaVersion: "latest", sourceType: "module" }) as AnyNode;
  const dir = dirname(scriptPath);
  const edits: { start: number; end: number; text: string }[] = [];
  const visit = (n: AnyNode) => {
    const source = (n.type === "ImportDeclaration" || n.type === "ExportAllDeclaration" || n.type === "ExportNamedDeclaration" || n.type === "ImportExpression") ? n.source : undefined;
    if (source?.type === "Literal" && typeof source.value === "string") {
      const spec = source.value as string;
      const url = spec === "mlnb/pipeline" ? pathToFileURL(PIPELINE_ENTRY).href : resolveCellImport(spec, dir);
      edits.push({ start: source.start, end: source.end, text: JSON.stringify(url) });
    }
    if (n.type === "MetaProperty" && n.meta?.name === "import" && n.property?.name === "meta") {
      const parent = js.slice(n.end, n.end + 4);
      if (parent === ".url") edits.push({ start: n.start, end: n.end + 4, text: JSON.stringify(pathToFileURL(scriptPath).href) });
    }
    for (const key of Object.keys(n)) {
      const v = n[key];
      if (Array.isArray(v)) v.forEach((c) => c && typeof c.type === "string" && visit(c));
      else if (v && typeof v === "object" && typeof v.type === "string") visit(v);
    }
  };
  visit(program);
  let out = "";
  let pos = 0;
  for (const e of edits.sort((a, b) => a.start - b.start)) {
    out += js.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + js.slice(pos);
}

/**
 * Compile and import a `.pipeline.ts` (or `.js`/`.mjs`) script. The compiled module is written
 * into a fresh private folder (mkdtemp, mode 0700) with O_EXCL, so nothing planted in the shared
 * temp folder (a symlink, a file of a guessable name) is written through or imported; the
 * folder is removed once the module is loaded.
 */
export async function loadScript(path: string): Promise<ScriptModule> {
  const scriptPath = resolve(path);
  const source = readFileSync(scriptPath, "utf8");
  const compiled = compileScript(source, scriptPath);
  const dir = mkdtempSync(join(tmpdir(), "mlnb-script-"));
  let mod: Partial<ScriptModule>;
  try {
    chmodSync(dir, 0o700);
    const file = join(dir, `${basename(scriptPath).replace(/[^\w.-]/g, "_")}.mjs`);
    writeFileSync(file, compiled, { flag: "wx", mode: 0o600 });
    mod = (await import(pathToFileURL(file).href)) as Partial<ScriptModule>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (typeof mod.main !== "function") throw new Error(`${path}: not an mlnb pipeline script (it exports no main function)`);
  return mod as ScriptModule;
}
