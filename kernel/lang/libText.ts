// Library declaration files kept without their comments, for checkers that report errors only (the kernel's): less to read, scan and hold.
//
// About two thirds of the text a cell's check parses (TypeScript's lib files, @types/node) is
// comments: doc comments that a check skips anyway (it parses JSDoc only for type errors). A
// kernel's first check parses ~2.9 MB of declarations; the same declarations without comments are
// ~0.9 MB, and parsing them allocates less, which on a machine where a first touch of memory is
// slow is most of the cost. The language service behind hovers and completions keeps the real
// files: their doc comments are what a hover shows.
//
// After a check, the checker's thread prints each library declaration file it parsed from disk
// without comments (TypeScript's own printer), parses the printed text again and keeps it only
// when the two parse to the same tree (node kinds, names and literals, reference directives). All
// kept texts live in one file beside TypeScript's code cache, written whole; each is used only
// while its file has the size and mtime it was made from.
import { accessSync, constants, mkdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import type * as TS from "typescript";
import { readText, writeWhole } from "../runtime/codeCache.js";

/** One kept text: the file it was made from (size, mtime) and where it is in the body. */
type Entry = [size: number, mtimeMs: number, start: number, length: number];

/** Characters of kept text beyond which texts this thread did not use are dropped when the file is rewritten (~3 ms a MB to read here). */
export const KEPT_LIMIT = 8_000_000;

/** How long one slice of keeping runs before the thread's other work (a check request) may go first. */
const SLICE_MS = 25;

/** Declaration files inside packages (TypeScript's libs, @types, packages' typings): never the notebook's own files. */
export function isLibraryDeclaration(path: string): boolean {
  return path.includes("/node_modules/") && /\.d\.[cm]?ts$/.test(path);
}

export class LibTexts {
  private readonly entries = new Map<string, Entry>();
  private body = "";
  /** Files whose text was asked for and not served from here (they were read from disk): kept after a check. */
  private readonly unserved = new Set<string>();
  /** Files found not to print to the same tree: never tried again by this thread. */
  private readonly refused = new Set<string>();
  /** How many texts this thread was served from here (for tests and traces). */
  served = 0;
  /** The files whose texts this thread was served: kept first when the file is rewritten. */
  private readonly used = new Set<string>();

  /** Whether files were read from disk since the last keep (else `keep` has nothing to do). */
  get pending(): boolean {
    return this.unserved.size > 0;
  }

  /** Texts kept in `file` (none when it is missing or unreadable). */
  constructor(private readonly file: string) {
    try {
      const all = readText(file);
      const newline = all.indexOf("\n");
      const header = JSON.parse(all.slice(0, newline)) as { files: Record<string, Entry> };
      this.body = all.slice(newline + 1);
      for (const [path, entry] of Object.entries(header.files)) {
        if (entry[2] + entry[3] <= this.body.length) this.entries.set(path, entry);
      }
    } catch {
      // No kept texts yet, or a file this version does not read: the next keep writes a new one.
    }
  }

  /** The kept text of library declaration file `path`, when the file is still the one it was made from. */
  text(path: string): string | undefined {
    if (!isLibraryDeclaration(path)) return undefined;
    const entry = this.entries.get(path);
    const st = entry && statOf(path);
    if (!entry || !st || st.size !== entry[0] || st.mtimeMs !== entry[1]) {
      this.unserved.add(path);
      return undefined;
    }
    this.served++;
    this.used.add(path);
    return this.body.slice(entry[2], entry[2] + entry[3]);
  }

  /**
   * Keep the comment-free text of each library file of `program` read from disk since the last
   * keep (none: resolves at once). About a parse of those files, done a slice at a time between
   * the thread's other work (`later` schedules the next slice); resolves once the file is written.
   */
  keep(ts: typeof TS, program: TS.Program, later: (next: () => void) => void = setImmediate): Promise<void> {
    const sources = program.getSourceFiles().filter((f) => this.unserved.has(f.fileName) && !this.refused.has(f.fileName));
    this.unserved.clear();
    // A cache folder this process cannot write (a read-only install): no work that could not be kept.
    if (sources.length === 0 || !writableFolder(dirname(this.file))) return Promise.resolve();
    const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });
    const added = new Map<string, string>();
    return new Promise((resolve, reject) => {
      const slice = () => {
        try {
          const until = performance.now() + SLICE_MS;
          while (sources.length > 0 && performance.now() < until) {
            const source = sources.shift()!;
            const printed = printer.printFile(source);
            // The file may have changed since it was parsed: keep only text made from the file as it is now.
            const st = statOf(source.fileName);
            if (st && st.size === Buffer.byteLength(source.text) && wellFormed(printed) && sameTree(ts, source, printed)) added.set(source.fileName, printed);
            else this.refused.add(source.fileName);
          }
          if (sources.length > 0) return later(slice);
          if (added.size > 0) this.write(added);
          resolve();
        } catch (e) {
          reject(e as Error);
        }
      };
      slice();
    });
  }

  /**
   * Rewrite the file: `added`, then the texts this thread was served, then other texts kept before
   * (still current) while the file stays under KEPT_LIMIT, so texts of packages no kernel here
   * checks any more (another project's, an old install's) do not make every kernel read more.
   */
  private write(added: Map<string, string>): void {
    const parts: string[] = [];
    const files: Record<string, Entry> = {};
    let at = 0;
    const put = (path: string, text: string) => {
      const st = statOf(path);
      if (!st || files[path]) return;
      files[path] = [st.size, st.mtimeMs, at, text.length];
      parts.push(text);
      at += text.length;
    };
    for (const [path, text] of added) put(path, text);
    const current = (path: string) => {
      const [size, mtime] = this.entries.get(path)!;
      const st = statOf(path);
      return st !== undefined && st.size === size && st.mtimeMs === mtime;
    };
    const keptText = (path: string) => {
      const [, , start, length] = this.entries.get(path)!;
      return this.body.slice(start, start + length);
    };
    for (const path of this.used) if (!added.has(path) && current(path)) put(path, keptText(path));
    for (const [path, [, , , length]] of this.entries) {
      if (at + length > KEPT_LIMIT) break;
      if (!added.has(path) && !this.used.has(path) && current(path)) put(path, keptText(path));
    }
    try {
      writeWhole(this.file, JSON.stringify({ files }) + "\n" + parts.join(""));
    } catch {
      // A cache folder that cannot be written means no kept texts, never an error.
    }
  }
}

/** Whether `dir` exists (made if need be) and this process may write in it. */
function writableFolder(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The file's size and mtime, or undefined when it cannot be read. */
function statOf(path: string): { size: number; mtimeMs: number } | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** No lone surrogates (they would not survive the file's UTF-8). */
function wellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

/** Whether `printed` parses to the same declarations as `source`: every node's kind and every name and literal, in order, and the file's directives. */
function sameTree(ts: typeof TS, source: TS.SourceFile, printed: string): boolean {
  const again = ts.createSourceFile(source.fileName, printed, { languageVersion: source.languageVersion, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, false, ts.ScriptKind.TS);
  const diagnostics = (f: TS.SourceFile) => (f as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length;
  if (diagnostics(again) > diagnostics(source)) return false;
  return fingerprint(ts, source) === fingerprint(ts, again);
}

/** The file's directives and, depth first, each node's kind with the text of names and literals. */
function fingerprint(ts: typeof TS, file: TS.SourceFile): string {
  const out: string[] = [
    JSON.stringify([
      file.referencedFiles.map((r) => r.fileName),
      file.typeReferenceDirectives.map((r) => [r.fileName, r.resolutionMode]),
      file.libReferenceDirectives.map((r) => r.fileName),
      file.hasNoDefaultLib,
      [...(file as unknown as { pragmas: Map<string, unknown> }).pragmas.keys()].sort(),
    ]),
  ];
  // Parts of a node that are fields rather than child nodes: let/const/namespace, `-1`, extends/implements, `typeof import()`, `import type`, `export =`.
  const syntaxFlags = ts.NodeFlags.BlockScoped | ts.NodeFlags.Namespace | ts.NodeFlags.NestedNamespace | ts.NodeFlags.GlobalAugmentation;
  const fields = (node: TS.Node) => {
    const n = node as unknown as Record<string, unknown>;
    return [node.flags & syntaxFlags, n.operator, n.token, n.keywordToken, n.isTypeOf, n.isTypeOnly, n.isExportEquals].map((v) => (v === undefined ? "" : String(v))).join("|");
  };
  const visit = (node: TS.Node): void => {
    out.push(`${node.kind}:${fields(node)}`);
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node) || ts.isLiteralExpression(node) || ts.isTemplateLiteralToken(node)) out.push(JSON.stringify(node.text));
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out.join(",");
}

/** The file keeping library texts for TypeScript `version` in its cache folder `cacheDir`. */
export function libTextsFile(cacheDir: string, version: string): string {
  return join(cacheDir, `lib-text-ts${version}.txt`);
}

/** The kept texts for the TypeScript whose cache folder is `cacheDir`. */
export function openLibTexts(cacheDir: string, ts: typeof TS): LibTexts {
  return new LibTexts(libTextsFile(cacheDir, ts.version));
}
