// What a cell contributes to the notebook's outline: its `%%stage` (name, needs, gates) or `%%params` line (pure, no `vscode`).
import { isMagic, parseMagics } from "../kernel/magics/parse.js";

/** One outline symbol of a cell, positioned on its magic line (0-based line, character offsets). */
export interface CellSymbol {
  kind: "stage" | "params";
  name: string;
  /** Stages it needs (`--needs`, plus what the kernel's graph knows), in order, no repeats. */
  needs: string[];
  gates: string[];
  noCache: boolean;
  line: number;
  /** Where the name sits on the line (the selection of the symbol). */
  nameStart: number;
  nameEnd: number;
}

/**
 * The outline symbol of one cell: a `%%stage NAME` cell gives the stage (with its `--needs`,
 * gates and `--no-cache`), a `%%params` cell gives "params"; other cells, and cells whose magic
 * does not parse, give none. `graphNeeds` adds the stages the kernel's graph found the cell reads.
 */
export function cellSymbolOf(source: string, graphNeeds: readonly string[] = []): CellSymbol | undefined {
  const parsed = parseMagics(source);
  if (!parsed.ok || !parsed.cellMagic) return undefined;
  const magic = parsed.cellMagic;
  const line = magic.line - 1;
  const text = source.split(/\r?\n/)[line] ?? "";
  if (isMagic(magic, "cell", "params")) {
    const at = text.indexOf("%%params");
    return { kind: "params", name: "params", needs: [], gates: [], noCache: false, line, nameStart: at + 2, nameEnd: at + "%%params".length };
  }
  if (!isMagic(magic, "cell", "stage")) return undefined;
  const { stage, needs, gates, noCache } = magic.args;
  const after = text.indexOf("%%stage") + "%%stage".length;
  const nameStart = text.indexOf(stage, after);
  return { kind: "stage", name: stage, needs: [...new Set([...needs, ...graphNeeds])], gates: gates.map((g) => g.text), noCache, line, nameStart, nameEnd: nameStart + stage.length };
}

/**
 * The symbol's name as the outline shows it: the stage and what it needs ("train · needs features").
 * VS Code's notebook outline shows symbol names only (not their detail), so the needs go here.
 */
export function symbolName(symbol: CellSymbol): string {
  return symbol.needs.length ? `${symbol.name} · needs ${symbol.needs.join(", ")}` : symbol.name;
}

/** The symbol's detail (shown by breadcrumbs and Go to Symbol): "gate f1>=0.8 · no cache". */
export function symbolDetail(symbol: CellSymbol): string {
  return [...symbol.gates.map((g) => `gate ${g}`), symbol.noCache ? "no cache" : ""].filter(Boolean).join(" · ");
}
