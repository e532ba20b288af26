// Completions TypeScript cannot give: magic names after `%` / `%%`, stage names after `--needs`.
import { BUILTIN_MAGICS } from "../magics/registry.js";
import type { LangCell } from "./document.js";

/** One completion item, as every front end (VS Code, Jupyter) gets it. */
export interface CompletionItem {
  label: string;
  /** TypeScript's element kind ("method", "property", "var"...) or "magic" / "stage". */
  kind: string;
  detail?: string;
  sortText?: string;
  /** Text to insert when it differs from the label. */
  insertText?: string;
  /** The cell range this item replaces when it is not the list's (offsets in the cell). */
  range?: { start: number; end: number };
}

/** Completions at an offset of a cell, with the range they replace (offsets in the cell). */
export interface Completions {
  items: CompletionItem[];
  start: number;
  end: number;
}

const STAGE_LINE = /^%%stage\s+([\w-]+)/;

/** Stage names the notebook's `%%stage NAME` lines declare, in order. */
export function stageNames(cells: readonly LangCell[]): string[] {
  const names: string[] = [];
  for (const c of cells) {
    const m = STAGE_LINE.exec(c.text.trimStart());
    if (m && !names.includes(m[1])) names.push(m[1]);
  }
  return names;
}

/**
 * Magic or stage-name completions when the cursor is on a magic line; undefined elsewhere (then
 * TypeScript answers).
 */
export function magicCompletions(cells: readonly LangCell[], cell: LangCell, offset: number): Completions | undefined {
  const lineStart = cell.text.lastIndexOf("\n", offset - 1) + 1;
  const before = cell.text.slice(lineStart, offset);
  const lead = /^[ \t]*/.exec(before)![0].length;
  if (before[lead] !== "%") return undefined;
  const name = /^(%%?)([\w-]*)$/.exec(before.slice(lead));
  if (name) {
    const kind = name[1] === "%%" ? "cell" : "line";
    // A cell magic belongs on the first line only.
    if (kind === "cell" && lineStart !== 0) return { items: [], start: offset, end: offset };
    const items = BUILTIN_MAGICS.filter((m) => m.kind === kind).map((m) => ({ label: m.name, kind: "magic", detail: m.usage, insertText: m.name }));
    return { items, start: offset - name[2].length, end: offset };
  }
  const needs = /--needs[= ]\s*([\w,-]*)$/.exec(before);
  if (needs) {
    const typed = needs[1].split(",");
    const partial = typed.pop() ?? "";
    const own = STAGE_LINE.exec(cell.text.trimStart())?.[1];
    const items = stageNames(cells)
      .filter((s) => s !== own && !typed.includes(s))
      .map((s) => ({ label: s, kind: "stage", detail: "stage" }));
    return { items, start: offset - partial.length, end: offset };
  }
  return { items: [], start: offset, end: offset };
}
