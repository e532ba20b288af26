// A stage cell's code as the body of its exported function: imports cut, magics turned into code, indented.
import ts from "typescript";
import type { ParsedCell } from "../magics/parse.js";
import type { CellImport } from "./imports.js";

const DROP = "\u0000drop-line\u0000";

interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * The function body of a stage: the cell's code (magics removed by `parseMagics`) without its
 * import declarations (they are hoisted) or `export` keywords, with each line magic turned into
 * code or an explaining comment, indented by `indent`, and ending with `return { outputs }`.
 */
export function stageBody(parsed: ParsedCell, imports: readonly CellImport[], outputs: readonly string[], indent = "  "): string {
  const code = parsed.code;
  const lineStarts = [0];
  for (let i = 0; i < code.length; i++) if (code[i] === "\n") lineStarts.push(i + 1);
  const lineRange = (line: number) => ({ start: lineStarts[line - 1]!, end: line < lineStarts.length ? lineStarts[line]! - 1 : code.length });
  const edits: Edit[] = [];
  if (parsed.cellMagic) {
    const { start, end } = lineRange(parsed.cellMagic.line);
    edits.push({ start, end, text: DROP });
  }
  for (const m of parsed.lineMagics) {
    const { start, end } = lineRange(m.line);
    edits.push({ start, end, text: lineMagicCode(m.name, m.raw, m.line, code.slice(start, end)) });
  }
  for (const imp of imports) edits.push({ start: imp.start, end: imp.end, text: DROP });
  edits.push(...exportKeywordEdits(code));
  const last = lastExpression(code);
  if (last !== undefined) edits.push({ start: last.end, end: last.end, text: `${last.semicolon ? "" : ";"} // the cell's result in the notebook` });

  const sorted = edits.sort((a, b) => a.start - b.start || a.end - b.end);
  let text = "";
  let pos = 0;
  for (const e of sorted) {
    if (e.start < pos) continue;
    text += code.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  text += code.slice(pos);

  const lines = text.split("\n").flatMap((l) => (l.includes(DROP) ? (l.replaceAll(DROP, "").trim() ? [l.replaceAll(DROP, "")] : []) : [l]));
  while (lines.length && !lines[0]!.trim()) lines.shift();
  while (lines.length && !lines[lines.length - 1]!.trim()) lines.pop();
  lines.push(`return { ${outputs.join(", ")} };`);
  return indentCode(lines.join("\n"), indent);
}

/** What a line magic becomes in a script: `%time` times its code; views and `%seed` become comments. */
function lineMagicCode(name: string, raw: string, line: number, codeOnLine: string): string {
  switch (name) {
    case "time": {
      const label = JSON.stringify(`%time (cell line ${line})`);
      const body = codeOnLine.trim();
      return `console.time(${label}); ${body}${/[;}]$/.test(body) ? "" : ";"} console.timeEnd(${label});`;
    }
    case "seed":
      return `// %seed ${raw}: the seed this stage's generator is derived from (see its entry in \`pipeline\`)`;
    case "export":
      return `// %export ${raw}`.trimEnd() + ": exporting is done; nothing to run in the script";
    default:
      return `// %${name}${raw ? ` ${raw}` : ""}: a notebook view; nothing to run in the script`;
  }
}

/** The end of the cell's last statement when it is an expression (the value a notebook cell shows). */
function lastExpression(code: string): { end: number; semicolon: boolean } | undefined {
  const sf = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const last = sf.statements[sf.statements.length - 1];
  if (!last || !ts.isExpressionStatement(last)) return undefined;
  return { end: last.getEnd(), semicolon: code[last.getEnd() - 1] === ";" };
}

/** Cut `export` (and `export default`) modifiers and `export { ... }` statements: a stage body is no module. */
function exportKeywordEdits(code: string): Edit[] {
  const sf = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const edits: Edit[] = [];
  for (const s of sf.statements) {
    if (ts.isExportDeclaration(s)) {
      edits.push({ start: s.getStart(sf), end: s.getEnd(), text: DROP });
      continue;
    }
    const mods = ts.canHaveModifiers(s) ? ts.getModifiers(s) : undefined;
    for (const m of mods ?? []) {
      if (m.kind !== ts.SyntaxKind.ExportKeyword && m.kind !== ts.SyntaxKind.DefaultKeyword) continue;
      let end = m.getEnd();
      while (code[end] === " ") end++;
      edits.push({ start: m.getStart(sf), end, text: "" });
    }
  }
  return edits;
}

/**
 * Indent every line that does not start inside a string or template literal (indenting those
 * would change the string's value).
 */
export function indentCode(code: string, indent: string): string {
  const sf = ts.createSourceFile("body.ts", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const literals: [number, number][] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      literals.push([node.getStart(sf), node.getEnd()]);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  const insideLiteral = (offset: number) => literals.some(([s, e]) => s < offset && offset < e);
  let offset = 0;
  return code
    .split("\n")
    .map((line) => {
      const at = offset;
      offset += line.length + 1;
      return line.trim() === "" || insideLiteral(at) ? line : indent + line;
    })
    .join("\n");
}

/**
 * Names among `inputs` that the code assigns to (`x = ...`, `x += ...`, `x++`). In the notebook
 * such an assignment changes the other stage's variable; in a script each stage gets its own
 * binding, so the export refuses rather than silently diverging. Names the cell declares
 * anywhere (a local that shadows the input) are left alone.
 */
export function assignedInputs(code: string, inputs: readonly string[]): string[] {
  const sf = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const wanted = new Set(inputs);
  const declared = new Set<string>();
  const assigned = new Set<string>();
  const target = (e: ts.Expression) => {
    if (ts.isIdentifier(e) && wanted.has(e.text)) assigned.add(e.text);
    else if (ts.isParenthesizedExpression(e)) target(e.expression);
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isBindingElement(node)) && ts.isIdentifier(node.name)) declared.add(node.name.text);
    if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) && node.name) declared.add(node.name.text);
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) target(node.left);
    if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) target(node.operand);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return [...assigned].filter((n) => !declared.has(n)).sort();
}
