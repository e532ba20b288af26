// `%time CODE` times just that statement, as IPython does, keeping the cell's line numbers.
import type * as TS from "typescript";

/**
 * Wrap the top-level statements starting on `lines` (1-based) with timing calls on the same lines.
 * The cell's last expression keeps its value: it becomes `(await __mlnb.timed(L, async () => (E)))`.
 * A line with no statement starting on it is returned in `unmatched`.
 */
export function instrumentTimedLines(ts: typeof TS, code: string, lines: readonly number[]): { code: string; unmatched: number[] } {
  const file = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const edits: { at: number; end: number; text: string }[] = [];
  const unmatched: number[] = [];
  const last = file.statements[file.statements.length - 1];
  for (const line of lines) {
    const stmt = file.statements.find((s) => file.getLineAndCharacterOfPosition(s.getStart(file)).line + 1 === line);
    if (!stmt) {
      unmatched.push(line);
      continue;
    }
    if (stmt === last && ts.isExpressionStatement(stmt)) {
      const e = stmt.expression;
      edits.push({ at: e.getStart(file), end: e.getStart(file), text: `(await __mlnb.timed(${line}, async () => (` });
      edits.push({ at: e.end, end: e.end, text: `)))` });
    } else {
      edits.push({ at: stmt.getStart(file), end: stmt.getStart(file), text: `__mlnb.timeStart(${line}); ` });
      edits.push({ at: stmt.end, end: stmt.end, text: ` __mlnb.timeEnd(${line});` });
    }
  }
  edits.sort((a, b) => b.at - a.at);
  let out = code;
  for (const e of edits) out = out.slice(0, e.at) + e.text + out.slice(e.end);
  return { code: out, unmatched };
}

/** "Wall time: 12.3 ms" / "Wall time: 1.23 s", as IPython prints it. */
export function wallTime(ms: number): string {
  return `Wall time: ${ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(2)} s`}`;
}
