// The declarations of a stage cell, to re-run on a cache restore: imports, functions, classes, enums.
import type * as TS from "typescript";
import { ts } from "../lang/typescript.js";

/**
 * The cell's code keeping only top-level declarations that are code rather than data (imports,
 * function, class, enum, namespace, interface and type declarations); every other statement
 * becomes blank lines, so line numbers still match the cell. On a cache hit the kernel runs
 * this and then assigns the restored variables: helper functions and imports stay usable.
 */
export function declarationsOnly(code: string): string {
  const sf = ts.createSourceFile("stage.ts", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  let out = "";
  let last = 0;
  for (const s of sf.statements) {
    if (isCodeDeclaration(s)) continue;
    const start = s.getStart(sf);
    out += code.slice(last, start) + code.slice(start, s.getEnd()).replace(/[^\n]/g, "");
    last = s.getEnd();
  }
  return out + code.slice(last);
}

function isCodeDeclaration(s: TS.Statement): boolean {
  return (
    ts.isImportDeclaration(s) ||
    ts.isImportEqualsDeclaration(s) ||
    ts.isFunctionDeclaration(s) ||
    ts.isClassDeclaration(s) ||
    ts.isEnumDeclaration(s) ||
    ts.isModuleDeclaration(s) ||
    ts.isInterfaceDeclaration(s) ||
    ts.isTypeAliasDeclaration(s)
  );
}
