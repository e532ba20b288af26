// complete / inspect / is_complete for Jupyter clients, from the TypeScript language service.
//
// The kernel protocol may answer completions itself (the notebook language service); until it
// does, `LocalIntel` runs a small TypeScript language service in the front end over the code
// executed so far plus the cell being edited, so `Math.` offers `abs` and earlier names are known.
import type * as TS from "typescript";

export interface Completion {
  matches: string[];
  /** UTF-16 offsets in the cell's code of the text the matches replace. */
  start: number;
  end: number;
}

/** What the Jupyter front end asks about code being edited; offsets are UTF-16 code units. */
export interface Intel {
  complete(code: string, offset: number): Promise<Completion>;
  /** Markdown-free text describing the name at `offset`, or undefined when there is none. */
  inspect(code: string, offset: number): Promise<string | undefined>;
  /** Learn code that ran (its names become known to later completions). */
  learn(code: string): void;
}

export type Completeness = { status: "complete" | "invalid" } | { status: "incomplete"; indent: string };

/** Magic lines (`%%stage`, `%seed 1`) blanked to spaces, so offsets stay the same and TypeScript parses the rest. */
export function blankMagics(code: string): string {
  return code.replace(/^[ \t]*%.*$/gm, (line) => " ".repeat(line.length));
}

/**
 * Whether the code is a whole cell (a console sends it) or needs more lines: a syntax error at
 * the very end (an open brace, string or template) means incomplete; elsewhere, invalid.
 */
export function isComplete(ts: typeof TS, code: string): Completeness {
  const text = blankMagics(code);
  const file = ts.createSourceFile("cell.ts", text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const diags = (file as unknown as { parseDiagnostics?: TS.Diagnostic[] }).parseDiagnostics ?? [];
  if (!diags.length) return { status: "complete" };
  const end = text.trimEnd().length;
  if (diags.some((d) => (d.start ?? 0) >= end)) {
    const lastLine = text.trimEnd().split("\n").pop() ?? "";
    const indent = /^\s*/.exec(lastLine)![0] + (/[{([]\s*$/.test(lastLine) ? "  " : "");
    return { status: "incomplete", indent };
  }
  return { status: "invalid" };
}

const FILE = "/__mlnb_jupyter__/cell.ts";

/** The front end's own language service (used while the kernel has no complete request). */
export class LocalIntel implements Intel {
  private history = "";
  private text = "";
  private version = 0;
  private service: TS.LanguageService | undefined;

  constructor(private readonly ts: typeof TS) {}

  learn(code: string): void {
    this.history += blankMagics(code) + "\n;\n";
  }

  async complete(code: string, offset: number): Promise<Completion> {
    const at = this.load(code, offset);
    const info = this.languageService().getCompletionsAtPosition(FILE, at.position, { includeCompletionsWithInsertText: true });
    let start = offset;
    while (start > 0 && /[\w$]/.test(code[start - 1]!)) start--;
    const prefix = code.slice(start, offset);
    const matches = (info?.entries ?? []).map((e) => e.name).filter((n) => n.startsWith(prefix));
    return { matches: [...new Set(matches)].sort(), start, end: offset };
  }

  async inspect(code: string, offset: number): Promise<string | undefined> {
    const at = this.load(code, offset);
    const service = this.languageService();
    const info = service.getQuickInfoAtPosition(FILE, at.position) ?? (at.position > 0 ? service.getQuickInfoAtPosition(FILE, at.position - 1) : undefined);
    if (!info) return undefined;
    const signature = this.ts.displayPartsToString(info.displayParts);
    const doc = this.ts.displayPartsToString(info.documentation);
    return doc ? `${signature}\n\n${doc}` : signature;
  }

  private load(code: string, offset: number): { position: number } {
    this.text = this.history + blankMagics(code);
    this.version++;
    return { position: this.history.length + offset };
  }

  private languageService(): TS.LanguageService {
    if (this.service) return this.service;
    const ts = this.ts;
    const options: TS.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, lib: ["lib.es2023.d.ts"], strict: true, noEmit: true, types: [] };
    const host: TS.LanguageServiceHost = {
      getCompilationSettings: () => options,
      getScriptFileNames: () => [FILE],
      getScriptVersion: (f) => (f === FILE ? String(this.version) : "0"),
      getScriptSnapshot: (f) => {
        if (f === FILE) return ts.ScriptSnapshot.fromString(this.text);
        const text = ts.sys.readFile(f);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => process.cwd(),
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: (f) => f === FILE || ts.sys.fileExists(f),
      readFile: (f) => (f === FILE ? this.text : ts.sys.readFile(f)),
    };
    return (this.service = ts.createLanguageService(host, ts.createDocumentRegistry()));
  }
}

/** Jupyter counts cursor positions in Unicode code points; JavaScript strings in UTF-16 units. */
export function codePointsToOffset(text: string, codePoints: number): number {
  let offset = 0;
  for (let i = 0; i < codePoints && offset < text.length; i++) offset += text.codePointAt(offset)! > 0xffff ? 2 : 1;
  return offset;
}

/** The inverse of codePointsToOffset. */
export function offsetToCodePoints(text: string, offset: number): number {
  return [...text.slice(0, offset)].length;
}
