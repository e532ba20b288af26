// The notebook language service: TypeScript 5.9's LanguageService over the cells in order (local modules included).
//
// Every front end uses this: the language-server process behind VS Code's providers, and the
// kernel's `complete` / `inspect` requests (the Jupyter front end). Offsets are UTF-16 offsets
// within a cell's text, as VS Code's `positionAt` and Jupyter's `cursor_pos` are.
import { join } from "node:path";
import type * as TS from "typescript";
import { notebookCompilerOptions } from "./compilerOptions.js";
import { cellAt, notebookText, type CellSpan, type LangCell } from "./document.js";
import { createHost, globalsText, MemoryFiles, type SharedDocuments } from "./host.js";
import { magicCompletions, type Completions } from "./magicCompletions.js";

export type { CompletionItem, Completions } from "./magicCompletions.js";
export type { LangCell } from "./document.js";

/** Markdown for a hover, and the range (cell offsets) of the word it is about. */
export interface Hover {
  markdown: string;
  start: number;
  end: number;
}

export interface SignatureHelp {
  signatures: { label: string; documentation: string; parameters: { label: string; documentation: string }[] }[];
  activeSignature: number;
  activeParameter: number;
}

/** A definition in a cell (offsets in the cell) or in a file (0-based line and character). */
export type Location =
  | { cellId: string; start: number; end: number }
  | { file: string; line: number; character: number; endLine: number; endCharacter: number };

/** A problem in a cell, offsets in the cell. */
export interface LangDiagnostic {
  start: number;
  end: number;
  message: string;
  code: number;
  severity: "error" | "warning";
}

const NOTEBOOK_FILE = "__mlnb_notebook__.ts";
const GLOBALS_FILE = "__mlnb_globals__.d.ts";
/** Redeclaring a name in a later cell is how notebooks work: these complaints about it across cells are dropped. */
const REDECLARATION = new Set([2451, 2300, 2393, 2440, 2323, 2395]);

export class NotebookLanguageService {
  private readonly mem = new MemoryFiles();
  private readonly service: TS.LanguageService;
  private readonly file: string;
  private cells: LangCell[] = [];
  private spans: CellSpan[] = [];
  /** Problems reading the tsconfig.json the options came from. */
  readonly configProblems: string[];
  /** The parsed library files, for a kernel's cell checker over the same notebook (kernel/lang/checkServer.ts). */
  readonly documents: SharedDocuments;

  constructor(
    private readonly ts: typeof TS,
    notebookDir: string,
  ) {
    this.file = join(notebookDir, NOTEBOOK_FILE);
    this.mem.set(join(notebookDir, GLOBALS_FILE), globalsText());
    const { options, problems } = notebookCompilerOptions(ts, notebookDir);
    this.configProblems = problems;
    this.documents = { registry: ts.createDocumentRegistry(), jsDocParsingMode: undefined };
    this.service = ts.createLanguageService(createHost(ts, notebookDir, this.mem, options, (f) => f === this.file), this.documents.registry);
    this.setCells([]);
  }

  /** Replace the notebook's code cells (in notebook order). */
  setCells(cells: readonly LangCell[]): void {
    this.cells = [...cells];
    const nb = notebookText(this.cells);
    this.spans = nb.spans;
    this.mem.set(this.file, nb.text);
  }

  /** How many files TypeScript's program holds (cells, local modules, every library .d.ts): the size of each update after an edit. */
  programFileCount(): number {
    return this.service.getProgram()?.getSourceFiles().length ?? 0;
  }

  private pos(cellId: string, offset: number): number | undefined {
    const span = this.spans.find((s) => s.id === cellId);
    return span ? span.start + Math.min(Math.max(offset, 0), span.end - span.start) : undefined;
  }

  /** Completions at an offset of a cell: magics and stage names on magic lines, else TypeScript's. */
  completions(cellId: string, offset: number): Completions {
    const cell = this.cells.find((c) => c.id === cellId);
    const pos = this.pos(cellId, offset);
    if (!cell || pos === undefined) return { items: [], start: offset, end: offset };
    const magic = magicCompletions(this.cells, cell, offset);
    if (magic) return magic;
    const info = this.service.getCompletionsAtPosition(this.file, pos, { includeCompletionsWithInsertText: true, includeCompletionsForModuleExports: false });
    let start = offset;
    while (start > 0 && /[\w$]/.test(cell.text[start - 1])) start--;
    let end = offset;
    while (end < cell.text.length && /[\w$]/.test(cell.text[end])) end++;
    if (!info) return { items: [], start, end };
    const cellStart = pos - offset;
    const items = info.entries.map((e) => ({
      label: e.name,
      kind: e.kind,
      sortText: e.sortText,
      ...(e.insertText && e.insertText !== e.name ? { insertText: e.insertText } : {}),
      // Its own range (an entry inserted as `?.["a b"]` replaces the dot as well).
      ...(e.replacementSpan ? { range: { start: e.replacementSpan.start - cellStart, end: e.replacementSpan.start + e.replacementSpan.length - cellStart } } : {}),
    }));
    return { items, start, end };
  }

  /** Detail (signature and doc comment) of one completion entry, for a front end that resolves items lazily. */
  completionDetail(cellId: string, offset: number, name: string): string | undefined {
    const pos = this.pos(cellId, offset);
    if (pos === undefined) return undefined;
    const d = this.service.getCompletionEntryDetails(this.file, pos, name, undefined, undefined, undefined, undefined);
    return d ? this.markdown(d.displayParts, d.documentation, d.tags) : undefined;
  }

  /** The type and doc comment of the name at an offset. */
  hover(cellId: string, offset: number): Hover | undefined {
    const pos = this.pos(cellId, offset);
    if (pos === undefined) return undefined;
    const info = this.service.getQuickInfoAtPosition(this.file, pos);
    if (!info) return undefined;
    const cellStart = pos - offset;
    let doc = info.documentation;
    let tags = info.tags;
    // A namespace member re-exported without its comment (split.trainTestSplit): the comment at its definition.
    if (!doc?.length) {
      // Its definition, else its type's (a property typed `typeof trainTestSplit` leads to the function).
      const defs = [...(this.service.getDefinitionAtPosition(this.file, pos) ?? []), ...(this.service.getTypeDefinitionAtPosition(this.file, pos) ?? [])];
      for (const d of defs) {
        const there = d.fileName === this.file ? undefined : this.service.getQuickInfoAtPosition(d.fileName, d.textSpan.start);
        if (there?.documentation?.length) {
          doc = there.documentation;
          tags = there.tags;
          break;
        }
      }
    }
    return { markdown: this.markdown(info.displayParts, doc, tags), start: info.textSpan.start - cellStart, end: info.textSpan.start + info.textSpan.length - cellStart };
  }

  private markdown(parts?: TS.SymbolDisplayPart[], doc?: TS.SymbolDisplayPart[], tags?: TS.JSDocTagInfo[]): string {
    const sig = this.ts.displayPartsToString(parts);
    const text = this.ts.displayPartsToString(doc);
    const tagText = (tags ?? []).map((t) => `*@${t.name}* ${this.ts.displayPartsToString(t.text)}`.trim());
    return ["```typescript\n" + sig + "\n```", text, ...tagText].filter(Boolean).join("\n\n");
  }

  /** Signatures of the call around an offset, with the argument the cursor is in. */
  signatureHelp(cellId: string, offset: number): SignatureHelp | undefined {
    const pos = this.pos(cellId, offset);
    if (pos === undefined) return undefined;
    const help = this.service.getSignatureHelpItems(this.file, pos, undefined);
    if (!help) return undefined;
    const str = (p: TS.SymbolDisplayPart[]) => this.ts.displayPartsToString(p);
    return {
      signatures: help.items.map((item) => {
        const parameters = item.parameters.map((p) => ({ label: str(p.displayParts), documentation: str(p.documentation) }));
        const label = str(item.prefixDisplayParts) + parameters.map((p) => p.label).join(str(item.separatorDisplayParts)) + str(item.suffixDisplayParts);
        return { label, documentation: str(item.documentation), parameters };
      }),
      activeSignature: help.selectedItemIndex,
      activeParameter: help.argumentIndex,
    };
  }

  /** Where the name at an offset is defined: another cell, a local module or a library's .d.ts. */
  definition(cellId: string, offset: number): Location[] {
    const pos = this.pos(cellId, offset);
    if (pos === undefined) return [];
    const defs = this.service.getDefinitionAtPosition(this.file, pos) ?? [];
    const out: Location[] = [];
    for (const d of defs) {
      if (d.fileName === this.file) {
        const at = cellAt(this.spans, d.textSpan.start);
        if (at) out.push({ cellId: at.id, start: at.offset, end: at.offset + d.textSpan.length });
        continue;
      }
      const source = this.service.getProgram()?.getSourceFile(d.fileName);
      if (!source) continue;
      const a = source.getLineAndCharacterOfPosition(d.textSpan.start);
      const b = source.getLineAndCharacterOfPosition(d.textSpan.start + d.textSpan.length);
      out.push({ file: d.fileName, line: a.line, character: a.character, endLine: b.line, endCharacter: b.character });
    }
    return out;
  }

  /** Syntax and type problems of every cell, by cell id (a cell without problems maps to []). */
  diagnostics(): Map<string, LangDiagnostic[]> {
    const out = new Map<string, LangDiagnostic[]>(this.cells.map((c) => [c.id, []]));
    const all = [...this.service.getSyntacticDiagnostics(this.file), ...this.service.getSemanticDiagnostics(this.file)];
    const text = this.mem.files.get(this.file)!.text;
    const found: { cell: string; d: LangDiagnostic; word: string }[] = [];
    for (const d of all) {
      if (d.start === undefined) continue;
      const at = cellAt(this.spans, d.start);
      if (!at) continue;
      const length = d.length ?? 0;
      const severity = d.category === this.ts.DiagnosticCategory.Error ? "error" : "warning";
      const message = this.ts.flattenDiagnosticMessageText(d.messageText, "\n");
      found.push({ cell: at.id, d: { start: at.offset, end: at.offset + length, message, code: d.code, severity }, word: text.slice(d.start, d.start + length) });
    }
    for (const f of found) {
      // A redeclaration is reported once per declaration: twice in one cell is a real mistake, across cells it is not.
      if (REDECLARATION.has(f.d.code) && found.filter((g) => g.cell === f.cell && g.d.code === f.d.code && g.word === f.word).length < 2) continue;
      out.get(f.cell)?.push(f.d);
    }
    return out;
  }
}
