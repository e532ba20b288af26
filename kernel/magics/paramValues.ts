// `%%params` values: extract top-level literal consts with their types, and apply `-p name=value` overrides.
import type * as TS from "typescript";
import { ts } from "../lang/typescript.js";
import { closest } from "./suggest.js";

/** The type of a parameter, from its literal default. */
export type ParamType = "number" | "string" | "boolean" | "null" | "array" | "object";

/** A literal JSON-like value. */
export type ParamValue = number | string | boolean | null | ParamValue[] | { [key: string]: ParamValue };

export interface ParamDef {
  name: string;
  type: ParamType;
  value: ParamValue;
  /** 1-based line and column of the declaration's name. */
  line: number;
  column: number;
  /** Offsets of the initializer in the code (to substitute an override in place). */
  start: number;
  end: number;
}

/** A top-level const that is not a parameter, and why (shown as a hint, never an error). */
export interface SkippedConst {
  name: string;
  reason: string;
  line: number;
}

class NotLiteral extends Error {}

/**
 * The parameters of a `%%params` cell: each top-level `const NAME = literal` (number, string,
 * boolean, null, arrays and objects of literals; `as const` and type annotations allowed).
 * Other top-level consts are listed in `skipped` with the reason.
 */
export function extractParams(code: string): { params: ParamDef[]; skipped: SkippedConst[] } {
  const sf = ts.createSourceFile("params.ts", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const params: ParamDef[] = [];
  const skipped: SkippedConst[] = [];
  for (const statement of sf.statements) {
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const decl of statement.declarationList.declarations) {
      const pos = sf.getLineAndCharacterOfPosition(decl.name.getStart(sf));
      if (!ts.isIdentifier(decl.name)) {
        skipped.push({ name: decl.name.getText(sf), reason: "destructuring is not a parameter", line: pos.line + 1 });
        continue;
      }
      const name = decl.name.text;
      if (!decl.initializer) continue;
      try {
        const value = literalValue(decl.initializer, sf);
        params.push({
          name,
          type: typeOfParam(value),
          value,
          line: pos.line + 1,
          column: pos.character + 1,
          start: decl.initializer.getStart(sf),
          end: decl.initializer.getEnd(),
        });
      } catch (e) {
        if (!(e instanceof NotLiteral)) throw e;
        skipped.push({ name, reason: e.message, line: pos.line + 1 });
      }
    }
  }
  return { params, skipped };
}

function literalValue(node: TS.Expression, sf: TS.SourceFile): ParamValue {
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) return literalValue(node.expression, sf);
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (ts.isPrefixUnaryExpression(node) && ts.isNumericLiteral(node.operand)) {
    if (node.operator === ts.SyntaxKind.MinusToken) return -Number(node.operand.text);
    if (node.operator === ts.SyntaxKind.PlusToken) return Number(node.operand.text);
  }
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (node.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isArrayLiteralExpression(node)) return node.elements.map((e) => literalValue(e, sf));
  if (ts.isObjectLiteralExpression(node)) {
    const obj: Record<string, ParamValue> = {};
    for (const p of node.properties) {
      if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNumericLiteral(p.name))) {
        throw new NotLiteral(`object property "${p.getText(sf)}" is not a literal`);
      }
      obj[p.name.text] = literalValue(p.initializer, sf);
    }
    return obj;
  }
  throw new NotLiteral(`"${node.getText(sf).slice(0, 40)}" is not a literal`);
}

/** The ParamType of a literal value. */
export function typeOfParam(value: ParamValue): ParamType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value as "number" | "string" | "boolean" | "object";
}

export type OverrideOutcome = { ok: true; values: Record<string, ParamValue> } | { ok: false; errors: string[] };

/**
 * Coerce `-p name=text` overrides to the types of the params' defaults. Returns every param's
 * value (defaults where not overridden), or errors naming each unknown name (with the closest
 * known one) or wrong type. Numbers must be finite; booleans are true/false (also 1/0, yes/no);
 * strings are taken as written; null, arrays and objects are JSON of the same shape.
 */
export function applyParamOverrides(params: readonly ParamDef[], overrides: Record<string, string>): OverrideOutcome {
  const values: Record<string, ParamValue> = Object.fromEntries(params.map((p) => [p.name, p.value]));
  const errors: string[] = [];
  const known = params.map((p) => p.name);
  for (const [name, text] of Object.entries(overrides)) {
    const param = params.find((p) => p.name === name);
    if (!param) {
      const guess = closest(name, known);
      errors.push(`unknown param "${name}"${guess ? `; did you mean "${guess}"?` : ""} (params: ${known.join(", ") || "none"})`);
      continue;
    }
    const coerced = coerce(param.type, text);
    if (coerced.ok) values[name] = coerced.value;
    else errors.push(`param "${name}" is a ${param.type} (default ${JSON.stringify(param.value)}): ${coerced.message}`);
  }
  return errors.length ? { ok: false, errors } : { ok: true, values };
}

function coerce(type: ParamType, text: string): { ok: true; value: ParamValue } | { ok: false; message: string } {
  const t = text.trim();
  switch (type) {
    case "string":
      return { ok: true, value: text };
    case "number": {
      const n = t === "" ? NaN : Number(t);
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, message: `"${text}" is not a number` };
    }
    case "boolean": {
      const v = t.toLowerCase();
      if (["true", "1", "yes"].includes(v)) return { ok: true, value: true };
      if (["false", "0", "no"].includes(v)) return { ok: true, value: false };
      return { ok: false, message: `"${text}" is not true or false` };
    }
    default: {
      let parsed: unknown;
      try {
        parsed = JSON.parse(t);
      } catch {
        return { ok: false, message: `"${text}" is not valid JSON` };
      }
      const actual = typeOfParam(parsed as ParamValue);
      if (type !== "null" && actual !== type) return { ok: false, message: `"${text}" is a ${actual}, not an ${type}` };
      return { ok: true, value: parsed as ParamValue };
    }
  }
}

/**
 * The params cell's code with each param's initializer replaced by its value's literal, so the
 * overridden values run. Values are written on one line: line numbers of the cell are kept.
 */
export function substituteParams(code: string, params: readonly ParamDef[], values: Record<string, ParamValue>): string {
  let out = code;
  for (const p of [...params].sort((a, b) => b.start - a.start)) {
    if (!(p.name in values) || JSON.stringify(values[p.name]) === JSON.stringify(p.value)) continue;
    const literal = JSON.stringify(values[p.name]);
    const original = code.slice(p.start, p.end);
    const newlines = original.split("\n").length - 1;
    out = out.slice(0, p.start) + literal + "\n".repeat(newlines) + out.slice(p.end);
  }
  return out;
}
