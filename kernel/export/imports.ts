// Import declarations of cells: found with the TypeScript parser, removed from stage bodies, hoisted and deduplicated.
import ts from "typescript";

/** One binding an import declaration makes. */
export interface ImportBinding {
  /** "default", "namespace" or the imported name. */
  imported: string;
  local: string;
  typeOnly: boolean;
}

/** An import declaration of a cell, reduced to what hoisting needs. */
export interface CellImport {
  specifier: string;
  bindings: ImportBinding[];
  /** `import "x"`: loaded for its side effects only. */
  sideEffect: boolean;
  /** Offsets of the statement in the cell code (to cut it from the stage body). */
  start: number;
  end: number;
}

/** Every top-level import declaration of `code` (import-equals and dynamic imports are left in place). */
export function findImports(code: string): CellImport[] {
  const sf = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const out: CellImport[] = [];
  for (const s of sf.statements) {
    if (!ts.isImportDeclaration(s) || !ts.isStringLiteral(s.moduleSpecifier)) continue;
    const bindings: ImportBinding[] = [];
    const clause = s.importClause;
    const clauseType = clause?.isTypeOnly ?? false;
    if (clause?.name) bindings.push({ imported: "default", local: clause.name.text, typeOnly: clauseType });
    const nb = clause?.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) bindings.push({ imported: "namespace", local: nb.name.text, typeOnly: clauseType });
    if (nb && ts.isNamedImports(nb)) {
      for (const el of nb.elements) bindings.push({ imported: (el.propertyName ?? el.name).text, local: el.name.text, typeOnly: clauseType || el.isTypeOnly });
    }
    out.push({ specifier: s.moduleSpecifier.text, bindings, sideEffect: !clause, start: s.getStart(sf), end: s.getEnd() });
  }
  return out;
}

/** Where an import came from, for error messages ("stage train", "cell 2"). */
export interface ImportSource {
  imp: CellImport;
  from: string;
}

/** The hoisted import lines, or the first conflict: one local name imported as two different things. */
export function hoistImports(sources: readonly ImportSource[]): { ok: true; lines: string[]; locals: Set<string> } | { ok: false; message: string } {
  const byLocal = new Map<string, { specifier: string; imported: string; from: string }>();
  const bySpecifier = new Map<string, { sideEffect: boolean; defaults: Set<string>; namespaces: Set<string>; named: Map<string, { imported: string; typeOnly: boolean }> }>();
  for (const { imp, from } of sources) {
    const entry = bySpecifier.get(imp.specifier) ?? { sideEffect: false, defaults: new Set<string>(), namespaces: new Set<string>(), named: new Map() };
    bySpecifier.set(imp.specifier, entry);
    if (imp.sideEffect) entry.sideEffect = true;
    for (const b of imp.bindings) {
      const seen = byLocal.get(b.local);
      if (seen && (seen.specifier !== imp.specifier || seen.imported !== b.imported)) {
        return { ok: false, message: `${from} imports "${b.local}" as ${describe(imp.specifier, b.imported)}, but ${seen.from} imports it as ${describe(seen.specifier, seen.imported)}; one script cannot hold both: rename one of them` };
      }
      byLocal.set(b.local, { specifier: imp.specifier, imported: b.imported, from });
      if (b.imported === "default") entry.defaults.add(b.local);
      else if (b.imported === "namespace") entry.namespaces.add(b.local);
      else {
        const prev = entry.named.get(b.local);
        entry.named.set(b.local, { imported: b.imported, typeOnly: (prev?.typeOnly ?? true) && b.typeOnly });
      }
    }
  }
  const lines: string[] = [];
  for (const [specifier, e] of bySpecifier) {
    const spec = JSON.stringify(specifier);
    const named = [...e.named].map(([local, n]) => `${n.typeOnly ? "type " : ""}${n.imported === local ? local : `${n.imported} as ${local}`}`);
    const defaults = [...e.defaults];
    for (const ns of e.namespaces) lines.push(`import * as ${ns} from ${spec};`);
    if (defaults.length || named.length) {
      const first = defaults.shift();
      const clause = [first, named.length ? `{ ${named.join(", ")} }` : undefined].filter(Boolean).join(", ");
      lines.push(`import ${clause} from ${spec};`);
      for (const d of defaults) lines.push(`import ${d} from ${spec};`);
    }
    if (e.sideEffect && !e.namespaces.size && !e.defaults.size && !e.named.size) lines.push(`import ${spec};`);
  }
  return { ok: true, lines, locals: new Set(byLocal.keys()) };
}

function describe(specifier: string, imported: string): string {
  if (imported === "namespace") return `* from "${specifier}"`;
  return `${imported} from "${specifier}"`;
}
