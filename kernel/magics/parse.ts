// Parse a cell's magics: `%%cell` magic on the first line, `%line` magics on top-level lines of their own.
import { splitWords } from "./args.js";
import { defaultMagics, type MagicRegistry } from "./registry.js";
import { TopLevelTracker } from "./toplevel.js";
import type { MagicArgsMap, MagicDiagnostic, MagicKind, ParsedMagic } from "./types.js";

/** A cell whose magics all parsed. `code` has the magic lines blanked, so line numbers still match the cell. */
export interface ParsedCell {
  ok: true;
  cellMagic?: ParsedMagic;
  lineMagics: ParsedMagic[];
  /** The TypeScript left once magics are removed; same number of lines as the cell. */
  code: string;
  /** Warnings only (errors make the result `ok: false`). */
  diagnostics: MagicDiagnostic[];
}

/** A cell with at least one bad magic; every problem found is listed. */
export interface FailedCell {
  ok: false;
  diagnostics: MagicDiagnostic[];
}

const MAGIC_LINE = /^(\s*)(%%?)([A-Za-z_][\w-]*)(.*)$/;

/**
 * Parse the magics of one cell's source.
 *
 * - `%%name args` on the first non-blank line is the cell magic; `%%` anywhere else is an error.
 * - `%name args` on a line of its own at top level is a line magic; the line is blanked in `code`.
 * - `%time CODE` keeps CODE in `code` at its own line and column (only `%time` is blanked), so
 *   the executor runs it in place; the magic's `args.code` and `line` say which line to time.
 * - An unknown magic is an error suggesting the closest known one; a bad argument is an error
 *   naming it. Errors carry the 1-based line and column.
 */
export function parseMagics(source: string, registry: MagicRegistry = defaultMagics): ParsedCell | FailedCell {
  const lines = source.split(/\r?\n/);
  const out = [...lines];
  const diagnostics: MagicDiagnostic[] = [];
  const lineMagics: ParsedMagic[] = [];
  let cellMagic: ParsedMagic | undefined;
  const tracker = new TopLevelTracker();
  const firstCodeLine = lines.findIndex((l) => l.trim() !== "");

  lines.forEach((text, index) => {
    const m = tracker.atTopLevel() ? MAGIC_LINE.exec(text) : null;
    if (!m) {
      tracker.push(text);
      return;
    }
    const [, indent, percents, name, rest] = m as unknown as [string, string, string, string, string];
    const kind: MagicKind = percents === "%%" ? "cell" : "line";
    const line = index + 1;
    const column = indent.length + 1;
    const error = (message: string) => diagnostics.push({ severity: "error", message, line, column });
    const written = `${percents}${name}`;
    out[index] = "";
    if (rest !== "" && !/^\s/.test(rest)) {
      error(`${written}${rest.split(/\s/)[0]}: not a magic name; write the arguments after a space`);
      return;
    }
    const spec = registry.get(kind, name);
    if (!spec) {
      const guess = registry.suggest(kind, name);
      error(`unknown magic ${written}${guess ? `; did you mean ${guess}?` : ""}`);
      return;
    }
    if (kind === "cell" && index !== firstCodeLine) {
      error(`cell magic ${written} must be on the cell's first line`);
      return;
    }
    const words = splitWords(rest);
    if (!words.ok) {
      error(`${written}: ${words.message}`);
      return;
    }
    const parsed = spec.parse(words.words, rest);
    if (!parsed.ok) {
      error(parsed.message);
      return;
    }
    const magic: ParsedMagic = { kind, name, line, args: parsed.args, raw: rest.trim() };
    if (kind === "cell") cellMagic = magic;
    else lineMagics.push(magic);
    if (kind === "line" && name === "time") {
      out[index] = " ".repeat(indent.length + written.length) + rest;
      tracker.push(out[index]!);
    }
  });

  if (diagnostics.some((d) => d.severity === "error")) return { ok: false, diagnostics };
  return { ok: true, ...(cellMagic ? { cellMagic } : {}), lineMagics, code: out.join("\n"), diagnostics };
}

/** Narrow a parsed magic to a built-in one with typed args (`isMagic(m, "cell", "stage")`). */
export function isMagic<K extends MagicKind, N extends string>(
  magic: ParsedMagic | undefined,
  kind: K,
  name: N,
): magic is ParsedMagic<`${K}:${N}` extends keyof MagicArgsMap ? MagicArgsMap[`${K}:${N}`] : unknown> {
  return magic !== undefined && magic.kind === kind && magic.name === name;
}

/** The `%%stage` arguments of a parsed cell, or undefined when the cell is not a stage. */
export function stageOf(cell: ParsedCell): MagicArgsMap["cell:stage"] | undefined {
  return isMagic(cell.cellMagic, "cell", "stage") ? cell.cellMagic.args : undefined;
}

/** Format diagnostics as `cell:LINE:COL: message` lines (prefix names the cell or file). */
export function formatDiagnostics(diagnostics: MagicDiagnostic[], prefix = "cell"): string {
  return diagnostics.map((d) => `${prefix}:${d.line}:${d.column}: ${d.severity}: ${d.message}`).join("\n");
}
