// is_complete for Jupyter clients, and cursor positions between Jupyter (code points) and the kernel (UTF-16).
//
// complete and inspect are the kernel's own requests (the notebook language service, the one
// VS Code uses): the front end only converts positions.
import type * as TS from "typescript";
import type { KernelClient } from "../client.js";

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

/** complete_reply content from the kernel's language service; positions in code points both ways. */
export async function completeReply(kernel: KernelClient, code: string, cursorCodePoints: number): Promise<Record<string, unknown>> {
  const r = await kernel.complete(code, codePointsToOffset(code, cursorCodePoints));
  return { status: "ok", matches: r.matches, cursor_start: offsetToCodePoints(code, r.cursor_start), cursor_end: offsetToCodePoints(code, r.cursor_end), metadata: {} };
}

/** inspect_reply content from the kernel's language service. */
export async function inspectReply(kernel: KernelClient, code: string, cursorCodePoints: number): Promise<Record<string, unknown>> {
  const r = await kernel.inspect(code, codePointsToOffset(code, cursorCodePoints));
  return { status: "ok", found: r.found, data: r.data, metadata: {} };
}
