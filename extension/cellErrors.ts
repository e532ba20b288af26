// Pure parsing of the kernel's cell errors into positioned problems for VS Code diagnostics (no `vscode` import).
import type { ErrorInfo } from "../kernel/protocol.js";

/** Error names whose positions point at the cell's code (type, syntax and magic errors), shown as diagnostics. */
export const POSITIONED_ERRORS = new Set(["TypeScriptError", "SyntaxError", "MagicError"]);

/** One problem in a cell: 1-based line and column as the kernel reports them. */
export interface CellProblem {
  line: number;
  column: number;
  message: string;
  /** The TypeScript error number, when the kernel names one ("TS2322" -> 2322). */
  code?: number;
}

// `Cell[3]:4:7 - TS2322: msg` (type and syntax errors), `Cell[3]:1:1: error: msg` (magic parse errors),
// `Cell[3]:2: %seed: msg` (line magics, no column). The label is whatever precedes the position.
const HEAD = /^(?:Cell\[[^\]]*\]|[^\s:]+):(\d+)(?::(\d+))?(?: - |: )(.*)$/;
const TS_CODE = /^TS(\d+): /;
const SEVERITY = /^(?:error|warning): /;

/**
 * Every positioned problem in a kernel error, in order. Lines that do not start with a cell
 * position continue the message above them (TypeScript's chained messages are indented below
 * their head). An error with no position lines but a line in its ErrorInfo gives one problem there.
 */
export function parseCellProblems(error: ErrorInfo): CellProblem[] {
  const problems: CellProblem[] = [];
  for (const text of error.message.split(/\r?\n/)) {
    const head = HEAD.exec(text);
    if (!head) {
      const last = problems.at(-1);
      if (last && text.trim() !== "") last.message += `\n${text}`;
      continue;
    }
    let message = head[3];
    let code: number | undefined;
    const ts = TS_CODE.exec(message);
    if (ts) {
      code = Number(ts[1]);
      message = message.slice(ts[0].length);
    } else {
      message = message.replace(SEVERITY, "");
    }
    problems.push({ line: Number(head[1]), column: head[2] === undefined ? 1 : Number(head[2]), message, ...(code !== undefined ? { code } : {}) });
  }
  if (problems.length === 0 && error.line !== undefined) {
    problems.push({ line: error.line, column: error.column ?? 1, message: error.message });
  }
  return problems;
}

/**
 * The problems to show for an error the kernel reported for a cell: only for the errors that are
 * about the cell's code (a runtime exception is shown in the output, not as a squiggle).
 */
export function cellProblems(error: ErrorInfo): CellProblem[] {
  return POSITIONED_ERRORS.has(error.name) ? parseCellProblems(error) : [];
}

/**
 * A 0-based range for a problem in a cell's text: from the column to the end of the word or
 * token there, so the squiggle covers something visible; positions past the text are clamped.
 */
export function problemRange(text: string, problem: CellProblem): { line: number; start: number; end: number } {
  const lines = text.split(/\r?\n/);
  const line = Math.min(Math.max(problem.line - 1, 0), Math.max(lines.length - 1, 0));
  const lineText = lines[line] ?? "";
  const start = Math.min(Math.max(problem.column - 1, 0), lineText.length);
  const word = /^[\w$]+|^\S/.exec(lineText.slice(start));
  const end = word ? start + word[0].length : lineText.length > start ? start + 1 : start;
  return { line, start, end };
}
