// Type checks a cell with the TypeScript 5.9 language service, earlier cells known as declarations.
//
// The checked file is a prelude (one declaration per name defined by earlier cells: imports and
// types verbatim, variables as `declare const x: T` with T printed by the checker) followed by
// the cell. A name the cell defines again is left out of the prelude, so redeclaring is fine.
import { join } from "node:path";
import type * as TS from "typescript";
import { notebookCompilerOptions } from "../lang/compilerOptions.js";
import { createHost, globalsText, MemoryFiles, type SharedDocuments } from "../lang/host.js";
import { openLibTexts, type LibTexts } from "../lang/libText.js";
import { typescriptCacheDir } from "../lang/typescript.js";
import type { CheckCache } from "./checkCache.js";

export { BUILTIN_MODULES, PACKAGE_ROOT } from "../lang/paths.js";

export interface CellDiagnostic {
  line: number; // 1-based, in the cell
  column: number; // 1-based
  message: string;
  code: number;
}

/** The declarations a checker knows, in order (see CellTypeChecker.state). */
export interface CheckerState {
  history: [string, string][];
  declsByCode: [string, [string, string][]][];
}

const CELL_FILE = "__mlnb_cell__.ts";
/** Checkers sharing a document registry each need a cell file of their own (the registry keeps one text per path). */
let sharedCheckers = 0;
const GLOBALS_FILE = "__mlnb_globals__.d.ts";

export class CellTypeChecker {
  private readonly history = new Map<string, string>();
  private readonly mem = new MemoryFiles();
  private serviceInstance: TS.LanguageService | undefined;
  /** Whether the service has checked a cell (its program's type checker exists, the libraries bound). */
  private checked = false;
  /** Disposed: a warm-up still scheduled does nothing (a check would build the service again). */
  private disposed = false;
  private tsInstance: typeof TS | undefined;
  /** Library files without comments (a checker of its own only: a shared registry's files keep theirs for hovers). */
  private libTexts: LibTexts | undefined;
  private loadTs: (() => typeof TS) | undefined;
  private readonly cellPath: string;
  private preludeLength = 0;
  /** Diagnostics of checked texts (prelude + cell): re-running an unchanged cell skips the checker. */
  private readonly memo = new Map<string, { diags: CellDiagnostic[]; decls?: [string, string][] }>();
  private last: { diags: CellDiagnostic[]; decls?: [string, string][] } | undefined;
  private lastFromMemo = false;
  /** The persistent key of the last check not answered from memory (stored once its declarations are known). */
  private pendingKey: string | undefined;
  /** The declarations each cell's code last produced (a cached stage re-learns them without a check). */
  private readonly declsByCode = new Map<string, [string, string][]>();

  /**
   * `ts` is TypeScript or a function loading it: with a loader, TypeScript and the language
   * service are loaded only when a check is not answered by `cache` (results kept across kernels).
   * `shared`: the document registry (and its JSDoc mode) of a language service over the same
   * notebook, whose parsed and bound library files this checker then reuses.
   */
  constructor(
    ts: typeof TS | (() => typeof TS),
    private readonly notebookDir: string,
    private cache?: CheckCache,
    private readonly shared?: SharedDocuments,
  ) {
    this.cellPath = join(notebookDir, shared ? `__mlnb_cell_${++sharedCheckers}__.ts` : CELL_FILE);
    this.mem.set(join(notebookDir, GLOBALS_FILE), globalsText());
    this.mem.set(this.cellPath, "export {};\n");
    if (typeof ts !== "function") this.tsInstance = ts;
    else this.loadTs = ts;
  }

  private get ts(): typeof TS {
    return (this.tsInstance ??= this.loadTs!());
  }

  private get service(): TS.LanguageService {
    if (this.serviceInstance) return this.serviceInstance;
    const ts = this.ts;
    const { options } = notebookCompilerOptions(ts, this.notebookDir);
    // Checks report errors only, as tsc does: JSDoc in .ts/.d.ts files (most of @types/node's text)
    // is not parsed, except comments with @see/@link; JavaScript files keep theirs (their types).
    const jsDocParsingMode = this.shared ? this.shared.jsDocParsingMode : ts.JSDocParsingMode.ParseForTypeErrors;
    const cacheDir = this.shared ? undefined : typescriptCacheDir();
    if (cacheDir) this.libTexts = openLibTexts(cacheDir, ts);
    else this.libTexts = this.shared?.libTexts;
    const host = createHost(ts, this.notebookDir, this.mem, options, (f) => f === this.cellPath, this.libTexts, this.shared?.longLived);
    host.jsDocParsingMode = jsDocParsingMode;
    const registry = this.shared?.registry ?? ts.createDocumentRegistry(ts.sys.useCaseSensitiveFileNames, this.notebookDir, jsDocParsingMode);
    return (this.serviceInstance = ts.createLanguageService(host, registry));
  }

  /** Type check a cell; `redeclared` are the names it defines (dropped from the prelude). */
  check(code: string, redeclared: Iterable<string> | ((ts: typeof TS) => Iterable<string>)): CellDiagnostic[] {
    this.pendingKey = undefined;
    if (this.cache) {
      const key = this.cache.key(this.history, code);
      const stored = this.cache.get(key);
      if (stored) {
        this.last = { diags: stored.diags, decls: stored.decls };
        this.lastFromMemo = true;
        return stored.diags;
      }
      this.pendingKey = key;
    }
    const skip = new Set(typeof redeclared === "function" ? redeclared(this.ts) : redeclared);
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
    this.mem.set(this.cellPath, text);
    const diags = [...this.service.getSyntacticDiagnostics(this.cellPath), ...this.service.getSemanticDiagnostics(this.cellPath)];
    this.checked = true;
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
      this.rememberDecls(code, this.last.decls);
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
    if (this.pendingKey && this.last) this.cache?.set(this.pendingKey, { diags: this.last.diags, decls });
    this.pendingKey = undefined;
    this.rememberDecls(code, decls);
  }

  private rememberDecls(code: string, decls: [string, string][]): void {
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

  /**
   * Teach the checker a cell's declarations without running it: those it made when it last ran
   * here or, else, the `stored` ones (recorded with a stage's execution: no type check of a
   * restored stage); failing both, by checking it.
   */
  learn(code: string, stored?: readonly [string, string][]): void {
    if (this.relearn(code, stored)) return;
    this.check(code, (ts) => declaredNames(ts, code));
    this.commit(code);
  }

  /** What the checker knows of earlier cells, to carry over to another thread (`adopt`). */
  state(): CheckerState {
    return { history: [...this.history], declsByCode: [...this.declsByCode] };
  }

  /** Keep results across kernels in `cache` from now on (a checker started before its kernel knew its notebook). */
  useCache(cache: CheckCache): void {
    this.cache = cache;
  }

  /** Take over what another checker knew (`state()`), in place of what this one knew. */
  adopt(state: CheckerState): void {
    this.reset();
    for (const [name, text] of state.history) this.history.set(name, text);
    for (const [code, decls] of state.declsByCode) this.declsByCode.set(code, decls);
  }

  /** The declarations `code` made when it last ran here (recorded with a stage's execution). */
  declarationsOf(code: string): [string, string][] | undefined {
    return this.declsByCode.get(code);
  }

  /** Let go of the language service's files (in a shared registry, other services keep theirs). */
  dispose(): void {
    this.serviceInstance?.dispose();
    this.serviceInstance = undefined;
    this.checked = false;
    this.disposed = true;
  }

  /**
   * Load TypeScript and parse the checker's libraries now (before the first cell that needs them),
   * without a type check: the first check binds them. A check that comes next builds its
   * program's type checker once, where a full `warm` first would have built one of its own.
   */
  prepare(): void {
    if (this.serviceInstance) return; // prepared already, or checked a cell
    const service = this.service;
    this.mem.set(this.cellPath, "export {};\n");
    service.getProgram();
  }

  /** `prepare`, then bind the libraries and check an empty cell (unless a cell was checked); false when there was nothing to do. */
  warm(): boolean {
    if (this.checked || this.disposed) return false;
    this.prepare();
    this.service.getSemanticDiagnostics(this.cellPath);
    this.checked = true;
    return true;
  }

  /** Keep the comment-free texts of library files this checker read from disk, for the next kernel (after an answer: it costs a parse of them). */
  async keepLibraryTexts(): Promise<void> {
    // Called after every check: nothing read from disk since the last keep, nothing to ask the service for.
    if (!this.libTexts?.pending) return;
    const program = this.serviceInstance?.getProgram();
    if (program) await this.libTexts.keep(this.ts, program);
  }

  /** How many library files this checker parsed from their kept comment-free texts. */
  get libraryTextsServed(): number {
    return this.libTexts?.served ?? 0;
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
