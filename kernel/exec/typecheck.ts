// Type checks a cell with the TypeScript 5.9 language service, earlier cells known as declarations.
//
// The checked file is a prelude (one declaration per name defined by earlier cells: imports and
// types verbatim, variables as `declare const x: T` with T printed by the checker) followed by
// the cell. A name the cell defines again is left out of the prelude, so redeclaring is fine.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type * as TS from "typescript";

export interface CellDiagnostic {
  line: number; // 1-based, in the cell
  column: number; // 1-based
  message: string;
  code: number;
}

/** Root of the mlnb package (holds out/ and node_modules/). */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** Modules cells may import by name without installing them: our library and the tslab shim. */
export const BUILTIN_MODULES: Record<string, string> = {
  mlnb: join(PACKAGE_ROOT, "out", "kernel", "ml", "index.js"),
  tslab: join(PACKAGE_ROOT, "out", "kernel", "exec", "tslab.js"),
};

const CELL_FILE = "__mlnb_cell__.ts";
const GLOBALS_FILE = "__mlnb_globals__.d.ts";

export class CellTypeChecker {
  private readonly history = new Map<string, string>();
  private readonly files = new Map<string, { text: string; version: number }>();
  private readonly service: TS.LanguageService;
  private readonly cellPath: string;
  private preludeLength = 0;
  /** Diagnostics of checked texts (prelude + cell): re-running an unchanged cell skips the checker. */
  private readonly memo = new Map<string, { diags: CellDiagnostic[]; decls?: [string, string][] }>();
  private last: { diags: CellDiagnostic[]; decls?: [string, string][] } | undefined;
  private lastFromMemo = false;
  /** The declarations each cell's code last produced (a cached stage re-learns them without a check). */
  private readonly declsByCode = new Map<string, [string, string][]>();

  constructor(
    private readonly ts: typeof TS,
    notebookDir: string,
  ) {
    this.cellPath = join(notebookDir, CELL_FILE);
    const displayTypes = join(PACKAGE_ROOT, "out", "kernel", "ml", "display.js");
    this.setFile(join(notebookDir, GLOBALS_FILE), `declare global {\n  const display: typeof import(${JSON.stringify(displayTypes)}).display;\n  /** Kernel helpers that %time inserts into a cell. */\n  const __mlnb: { timeStart(line: number): void; timeEnd(line: number): void; timed<T>(line: number, f: () => Promise<T>): Promise<T> };\n}\nexport {};\n`);
    this.setFile(this.cellPath, "export {};\n");
    const options: TS.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      moduleDetection: ts.ModuleDetectionKind.Force,
      // Cells run in Node: no DOM (a cell using `document` is an error here, not at run time);
      // @types/node gives fetch, URL, TextEncoder, performance. Also halves the checker's work.
      lib: ["lib.es2023.d.ts"],
      strict: true,
      skipLibCheck: true,
      esModuleInterop: true,
      allowSyntheticDefaultImports: true,
      resolveJsonModule: true,
      noEmit: true,
      types: ["node"],
      typeRoots: [join(PACKAGE_ROOT, "node_modules", "@types")],
    };
    const diskCache = new Map<string, TS.IScriptSnapshot | undefined>();
    const fallbackFrom = join(PACKAGE_ROOT, "__resolve__.ts");
    // Without a cache every check walks node_modules again for every import of every .d.ts.
    const resolutionCache = ts.createModuleResolutionCache(notebookDir, (f) => f, options);
    // getModuleResolutionCache is read by the language service though not in its public host type.
    const host: TS.LanguageServiceHost & { getModuleResolutionCache(): TS.ModuleResolutionCache } = {
      getCompilationSettings: () => options,
      getScriptFileNames: () => [...this.files.keys()],
      getScriptVersion: (f) => String(this.files.get(f)?.version ?? 0),
      getScriptSnapshot: (f) => {
        const mem = this.files.get(f);
        if (mem) return ts.ScriptSnapshot.fromString(mem.text);
        if (!diskCache.has(f)) {
          let text: string | undefined;
          try {
            text = readFileSync(f, "utf8");
          } catch {
            text = undefined;
          }
          diskCache.set(f, text === undefined ? undefined : ts.ScriptSnapshot.fromString(text));
        }
        return diskCache.get(f);
      },
      getCurrentDirectory: () => notebookDir,
      // Shares package.json lookups between checks (else every check re-reads one per .d.ts).
      getModuleResolutionCache: () => resolutionCache,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: (f) => this.files.has(f) || ts.sys.fileExists(f),
      readFile: (f) => this.files.get(f)?.text ?? ts.sys.readFile(f),
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
      // Bare names resolve from the notebook's folder first, then from mlnb's own packages.
      resolveModuleNameLiterals: (literals, containingFile, _ref, opts) =>
        literals.map((lit) => {
          const name = lit.text;
          const builtin = BUILTIN_MODULES[name];
          if (builtin) {
            return { resolvedModule: { resolvedFileName: builtin.replace(/\.js$/, ".d.ts"), extension: ts.Extension.Dts, isExternalLibraryImport: false } };
          }
          // The cell's own imports are resolved afresh (a package installed beside the notebook
          // after start is found); imports inside installed .d.ts files use the cache.
          const cache = containingFile === this.cellPath ? undefined : resolutionCache;
          const first = ts.resolveModuleName(name, containingFile, opts, ts.sys, cache);
          if (first.resolvedModule || containingFile !== this.cellPath) return first;
          return ts.resolveModuleName(name, fallbackFrom, opts, ts.sys, cache);
        }),
    };
    this.service = ts.createLanguageService(host, ts.createDocumentRegistry());
  }

  private setFile(path: string, text: string): void {
    const old = this.files.get(path);
    if (old?.text === text) return;
    this.files.set(path, { text, version: (old?.version ?? 0) + 1 });
  }

  /** Type check a cell; `redeclared` are the names it defines (dropped from the prelude). */
  check(code: string, redeclared: Iterable<string>): CellDiagnostic[] {
    const skip = new Set(redeclared);
    const prelude = [...this.history].filter(([name]) => !skip.has(name)).map(([, text]) => text).join("\n");
    const head = prelude ? prelude + "\n" : "";
    this.preludeLength = head.length;
    const text = head + code + "\nexport {};\n";
    const known = this.memo.get(text);
    this.lastFromMemo = known !== undefined;
    if (known) {
      this.last = known;
      return known.diags;
    }
    this.setFile(this.cellPath, text);
    const diags = [...this.service.getSyntacticDiagnostics(this.cellPath), ...this.service.getSemanticDiagnostics(this.cellPath)];
    const out: CellDiagnostic[] = [];
    const codeStart = this.preludeLength;
    for (const d of diags) {
      if (d.start === undefined || d.start < codeStart || d.start > codeStart + code.length) continue;
      const before = code.slice(0, d.start - codeStart);
      const line = before.split("\n").length;
      const column = d.start - codeStart - (before.lastIndexOf("\n") + 1) + 1;
      out.push({ line, column, code: d.code, message: this.ts.flattenDiagnosticMessageText(d.messageText, "\n") });
    }
    if (this.memo.size >= 256) this.memo.delete(this.memo.keys().next().value!);
    this.last = { diags: out };
    this.memo.set(text, this.last);
    return out;
  }

  /**
   * After a cell ran: remember its top-level declarations for later cells. Uses the program of
   * the last `check` of the same code, so call `check` first.
   */
  commit(code: string): void {
    // Same prelude and code as a text checked and committed before: the same declarations.
    if (this.lastFromMemo && this.last?.decls) {
      for (const [name, text] of this.last.decls) this.history.set(name, text);
      return;
    }
    const ts = this.ts;
    const program = this.service.getProgram();
    const file = program?.getSourceFile(this.cellPath);
    if (!program || !file) return;
    const checker = program.getTypeChecker();
    const text = file.getFullText();
    const own = new Map<string, string[]>();
    const decls: [string, string][] = [];
    const typeText = (node: TS.Node): string => {
      try {
        const t = checker.getTypeAtLocation(node);
        return checker.typeToString(t, file, ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseFullyQualifiedType | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope);
      } catch {
        return "any";
      }
    };
    for (const stmt of file.statements) {
      if (stmt.getStart(file) < this.preludeLength) continue;
      const source = text.slice(stmt.getStart(file), stmt.end);
      if (ts.isImportDeclaration(stmt)) {
        const clause = stmt.importClause;
        const from = stmt.moduleSpecifier.getText(file);
        if (!clause || clause.isTypeOnly) continue;
        if (clause.name) decls.push([clause.name.text, `import ${clause.name.text} from ${from};`]);
        const bindings = clause.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings)) decls.push([bindings.name.text, `import * as ${bindings.name.text} from ${from};`]);
        if (bindings && ts.isNamedImports(bindings)) {
          for (const el of bindings.elements) decls.push([el.name.text, `import { ${el.getText(file)} } from ${from};`]);
        }
      } else if (ts.isVariableStatement(stmt)) {
        const isConst = (stmt.declarationList.flags & ts.NodeFlags.Const) !== 0;
        for (const decl of stmt.declarationList.declarations) {
          for (const id of bindingIdentifiers(ts, decl.name)) {
            decls.push([id.text, `declare ${isConst ? "const" : "let"} ${id.text}: ${typeText(id)};`]);
          }
        }
      } else if (ts.isFunctionDeclaration(stmt) || ts.isClassDeclaration(stmt) || ts.isInterfaceDeclaration(stmt) || ts.isTypeAliasDeclaration(stmt) || ts.isEnumDeclaration(stmt)) {
        const name = stmt.name?.text;
        if (!name) continue;
        // Overloads and merged interfaces: a name may have several declarations in one cell.
        own.set(name, [...(own.get(name) ?? []), source.replace(/^export\s+(default\s+)?/, "")]);
      }
    }
    for (const [name, texts] of own) decls.push([name, texts.join("\n")]);
    for (const [name, text] of decls) this.history.set(name, text);
    if (this.last) this.last.decls = decls;
    if (this.declsByCode.size >= 256) this.declsByCode.delete(this.declsByCode.keys().next().value!);
    this.declsByCode.set(code, decls);
  }

  /**
   * Put back the declarations `code` made when it last ran, without checking it again; false when
   * it never ran here. For a stage restored from the cache: same code and same inputs, same types.
   */
  relearn(code: string, stored?: readonly [string, string][]): boolean {
    const decls = this.declsByCode.get(code) ?? stored;
    if (!decls) return false;
    for (const [name, text] of decls) this.history.set(name, text);
    return true;
  }

  /** The declarations `code` made when it last ran here (recorded with a stage's execution). */
  declarationsOf(code: string): [string, string][] | undefined {
    return this.declsByCode.get(code);
  }

  /** Forget every declaration (after %reset). */
  reset(): void {
    this.history.clear();
    this.memo.clear();
    this.declsByCode.clear();
  }
}

function bindingIdentifiers(ts: typeof TS, name: TS.BindingName): TS.Identifier[] {
  if (ts.isIdentifier(name)) return [name];
  const out: TS.Identifier[] = [];
  for (const el of name.elements) if (!ts.isOmittedExpression(el)) out.push(...bindingIdentifiers(ts, el.name));
  return out;
}

/** Names a cell declares at top level, from the TypeScript AST (for the prelude). */
export function declaredNames(ts: typeof TS, code: string): string[] {
  const file = ts.createSourceFile(CELL_FILE, code, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const names: string[] = [];
  for (const stmt of file.statements) {
    if (ts.isVariableStatement(stmt)) for (const d of stmt.declarationList.declarations) names.push(...bindingIdentifiers(ts, d.name).map((i) => i.text));
    else if ((ts.isFunctionDeclaration(stmt) || ts.isClassDeclaration(stmt) || ts.isInterfaceDeclaration(stmt) || ts.isTypeAliasDeclaration(stmt) || ts.isEnumDeclaration(stmt)) && stmt.name) names.push(stmt.name.text);
    else if (ts.isImportDeclaration(stmt) && stmt.importClause) {
      const c = stmt.importClause;
      if (c.name) names.push(c.name.text);
      if (c.namedBindings && ts.isNamespaceImport(c.namedBindings)) names.push(c.namedBindings.name.text);
      if (c.namedBindings && ts.isNamedImports(c.namedBindings)) names.push(...c.namedBindings.elements.map((e) => e.name.text));
    }
  }
  return names;
}

/** Syntax errors of a cell with exact positions (swc's messages lack them). */
export function syntaxErrors(ts: typeof TS, code: string): CellDiagnostic[] {
  const file = ts.createSourceFile(CELL_FILE, code, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const diags = (file as unknown as { parseDiagnostics?: TS.Diagnostic[] }).parseDiagnostics ?? [];
  return diags.map((d) => {
    const { line, character } = file.getLineAndCharacterOfPosition(d.start ?? 0);
    return { line: line + 1, column: character + 1, code: d.code, message: ts.flattenDiagnosticMessageText(d.messageText, "\n") };
  });
}
