// The TypeScript language-service host every notebook check uses: in-memory cell files over the disk, mlnb's module resolution.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type * as TS from "typescript";
import type { LibTexts } from "./libText.js";
import { BUILTIN_MODULES, MODULE_STAND_INS, PACKAGE_ROOT } from "./paths.js";

/**
 * A file's text that tells TypeScript what changed since an older text of the same file, so an
 * edit is parsed incrementally (only the changed region is re-scanned) instead of from scratch.
 */
export class TextSnapshot implements TS.IScriptSnapshot {
  constructor(readonly text: string) {}

  getText(start: number, end: number): string {
    return this.text.slice(start, end);
  }

  getLength(): number {
    return this.text.length;
  }

  /** The span of `old` that was replaced and the length of its replacement: the common prefix and suffix are kept. */
  getChangeRange(old: TS.IScriptSnapshot): TS.TextChangeRange | undefined {
    if (!(old instanceof TextSnapshot)) return undefined;
    const a = old.text;
    const b = this.text;
    let start = 0;
    const common = Math.min(a.length, b.length);
    while (start < common && a.charCodeAt(start) === b.charCodeAt(start)) start++;
    let tail = 0;
    while (tail < common - start && a.charCodeAt(a.length - 1 - tail) === b.charCodeAt(b.length - 1 - tail)) tail++;
    return { span: { start, length: a.length - tail - start }, newLength: b.length - tail - start };
  }
}

/** In-memory files (cells, globals) by absolute path; a version bump tells the service a file changed. */
export class MemoryFiles {
  readonly files = new Map<string, { text: string; version: number; snapshot: TextSnapshot }>();

  /** Set a file's text (no version bump when unchanged). */
  set(path: string, text: string): void {
    const old = this.files.get(path);
    if (old?.text === text) return;
    this.files.set(path, { text, version: (old?.version ?? 0) + 1, snapshot: new TextSnapshot(text) });
  }

  delete(path: string): void {
    this.files.delete(path);
  }
}

/**
 * Declarations every cell sees: the kernel's `display`, the helpers `%time` inserts, and arquero's
 * `table.array(name)` typed as what it returns. arquero declares it as `DataValue[] | TypedArray`
 * whatever the arguments, so `t.array("x").reduce((s, v) => s + v, 0)`, correct JavaScript, is
 * TS2349 "not callable" (a union of ten array types); without a typed-array constructor the
 * result is a plain array, and with one it is that typed array.
 */
export function globalsText(): string {
  const displayTypes = join(PACKAGE_ROOT, "out", "kernel", "ml", "display.js");
  const arqueroTable = join(PACKAGE_ROOT, "node_modules", "arquero", "dist", "types", "table", "Table.js");
  return [
    "declare global {",
    `  const display: typeof import(${JSON.stringify(displayTypes)}).display;`,
    "  /** Kernel helpers that %time inserts into a cell. */",
    "  const __mlnb: { timeStart(line: number): void; timeEnd(line: number): void; timed<T>(line: number, f: () => Promise<T>): Promise<T> };",
    "}",
    `declare module ${JSON.stringify(arqueroTable)} {`,
    "  interface Table {",
    "    /** The values of column `name` as an array (a plain array unless a typed-array constructor is given). */",
    "    array(name: string, constructor?: ArrayConstructor): any[];",
    "    array<C extends Int8ArrayConstructor | Uint8ArrayConstructor | Int16ArrayConstructor | Uint16ArrayConstructor | Int32ArrayConstructor | Uint32ArrayConstructor | Float32ArrayConstructor | Float64ArrayConstructor | BigInt64ArrayConstructor | BigUint64ArrayConstructor>(name: string, constructor: C): InstanceType<C>;",
    "  }",
    "}",
    "export {};",
    "",
  ].join("\n");
}

/** A document registry shared with another language service, and the JSDoc parsing mode its files were parsed with. */
export interface SharedDocuments {
  registry: TS.DocumentRegistry;
  /** As the registry was created with (undefined: TypeScript's default, JSDoc parsed). */
  jsDocParsingMode: TS.JSDocParsingMode | undefined;
  /** Library files without comments, for a registry only checks use (the checker daemon's; hovers need the comments). */
  libTexts?: LibTexts;
  /**
   * A registry that outlives notebooks (the checker daemon's): library files are versioned by their
   * mtime, so a package updated on disk is parsed again by the next checker, not served as it was.
   */
  longLived?: boolean;
}

/**
 * A language-service host over `mem` and the disk. Bare module names resolve from the notebook's
 * folder first, then from mlnb's own packages; `mlnb` and `tslab` are mlnb's. `isCell` tells
 * which files are cells: their imports are resolved afresh (a package installed beside the
 * notebook, or a local module created, after start is found). `libTexts`: library declaration
 * files without comments, for a host whose service only reports errors (kernel/lang/libText.ts).
 */
export function createHost(
  ts: typeof TS,
  notebookDir: string,
  mem: MemoryFiles,
  options: TS.CompilerOptions,
  isCell: (file: string) => boolean,
  libTexts?: LibTexts,
  stampLibraries = false,
): TS.LanguageServiceHost {
  const diskCache = new Map<string, { mtime: number; snap: TS.IScriptSnapshot | undefined }>();
  const fallbackFrom = join(PACKAGE_ROOT, "__resolve__.ts");
  // Without a cache every check walks node_modules again for every import of every .d.ts.
  const resolutionCache = ts.createModuleResolutionCache(notebookDir, (f) => f, options);
  // Asked for every file of the program on every edit (about 900 files with tfjs): remembered per path.
  const packaged = new Map<string, boolean>();
  const inPackages = (f: string) => {
    let known = packaged.get(f);
    if (known === undefined) packaged.set(f, (known = f.includes("/node_modules/") || f.startsWith(PACKAGE_ROOT)));
    return known;
  };
  // Taken once per host: a library that changes later is seen by the next notebook's checker.
  const stamps = new Map<string, string>();
  const libraryStamp = (f: string) => {
    let stamp = stamps.get(f);
    if (stamp === undefined) stamps.set(f, (stamp = String(ts.sys.getModifiedTime?.(f)?.getTime() ?? 0)));
    return stamp;
  };
  const snapshot = (f: string): TS.IScriptSnapshot | undefined => {
    const cached = diskCache.get(f);
    // Library files never change while we run; local modules beside the notebook may (re-read when their mtime moves).
    const mtime = cached && inPackages(f) ? cached.mtime : (ts.sys.getModifiedTime?.(f)?.getTime() ?? 0);
    if (cached && cached.mtime === mtime) return cached.snap;
    let text: string | undefined;
    try {
      text = libTexts?.text(f) ?? readFileSync(f, "utf8");
    } catch {
      text = undefined;
    }
    const snap = text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    diskCache.set(f, { mtime, snap });
    return snap;
  };
  // getModuleResolutionCache is read by the language service though not in its public host type.
  const host: TS.LanguageServiceHost & { getModuleResolutionCache(): TS.ModuleResolutionCache } = {
    getCompilationSettings: () => options,
    getScriptFileNames: () => [...mem.files.keys()],
    getScriptVersion: (f) => {
      const m = mem.files.get(f);
      if (m) return String(m.version);
      if (inPackages(f)) return stampLibraries ? libraryStamp(f) : "0";
      return String(ts.sys.getModifiedTime?.(f)?.getTime() ?? 0);
    },
    getScriptSnapshot: (f) => {
      const m = mem.files.get(f);
      return m ? m.snapshot : snapshot(f);
    },
    getCurrentDirectory: () => notebookDir,
    getModuleResolutionCache: () => resolutionCache,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (f) => mem.files.has(f) || ts.sys.fileExists(f),
    readFile: (f) => mem.files.get(f)?.text ?? ts.sys.readFile(f),
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
    resolveModuleNameLiterals: (literals, containingFile, _ref, opts) =>
      literals.map((lit) => {
        const name = lit.text;
        const builtin = BUILTIN_MODULES[name];
        if (builtin) {
          return { resolvedModule: { resolvedFileName: builtin.replace(/\.js$/, ".d.ts"), extension: ts.Extension.Dts, isExternalLibraryImport: false } };
        }
        const cell = isCell(containingFile);
        const cache = cell ? undefined : resolutionCache;
        const first = ts.resolveModuleName(name, containingFile, opts, ts.sys, cache);
        if (first.resolvedModule || !cell) return first;
        const fallback = ts.resolveModuleName(name, fallbackFrom, opts, ts.sys, cache);
        const standIn = MODULE_STAND_INS[name];
        // As the kernel runs it: the stand-in's types when the package itself is not installed.
        if (fallback.resolvedModule || !standIn) return fallback;
        return { resolvedModule: { resolvedFileName: standIn.replace(/\.js$/, ".d.ts"), extension: ts.Extension.Dts, isExternalLibraryImport: false } };
      }),
  };
  return host;
}
