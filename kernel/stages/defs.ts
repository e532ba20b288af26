// Definitions and references of one cell, from the TypeScript AST (like marimo's defs/refs).
//
// A cell defines its top-level names and reads the free names it uses: names not declared
// in any enclosing scope of the cell. Property names, labels, locals and type-only positions
// are not reads; names used only as types are reported separately in `typeRefs`.
import type * as TS from "typescript";
import { ts } from "../lang/typescript.js";

export interface CellNames {
  /** Top-level value names the cell declares (const/let/var incl. destructuring, function, class, enum, namespace, imports). */
  defs: string[];
  /** Top-level type-only names (interface, type alias, `import type`). */
  typeDefs: string[];
  /** Free names read as values, sorted. Includes globals (Math, console): the graph decides which matter. */
  refs: string[];
  /** Free names used only in type positions (and `typeof x` in types), sorted. */
  typeRefs: string[];
  /** How each of `defs` is declared: only variables hold data; the rest is code. */
  kinds: Record<string, DefKind>;
}

export type DefKind = "variable" | "function" | "class" | "enum" | "namespace" | "import";

class Scope {
  readonly names = new Set<string>();
  /** Type parameters in scope (types only, they never hide a value). */
  readonly typeParams = new Set<string>();
  constructor(readonly parent?: Scope) {}
  has(name: string): boolean {
    return this.names.has(name) || (this.parent?.has(name) ?? false);
  }
  hasTypeParam(name: string): boolean {
    return this.typeParams.has(name) || (this.parent?.hasTypeParam(name) ?? false);
  }
}

/** Analyse one cell's TypeScript (magics already removed). Never throws on syntax errors: it reads what parses. */
export function analyzeCell(code: string): CellNames {
  const sf = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const root = new Scope();
  const typeDefs = new Set<string>();
  declareStatements(sf.statements, root, typeDefs);
  hoistVars(sf, root);
  const refs = new Set<string>();
  const typeRefs = new Set<string>();
  const visit = (node: TS.Node, scope: Scope): void => walk(node, scope, refs, typeRefs, typeDefs);
  for (const s of sf.statements) visit(s, root);
  for (const r of refs) typeRefs.delete(r);
  for (const d of typeDefs) typeRefs.delete(d);
  const defs = [...root.names].sort();
  const kinds = declarationKinds(sf);
  return { defs, typeDefs: [...typeDefs].sort(), refs: [...refs].sort(), typeRefs: [...typeRefs].sort(), kinds: Object.fromEntries(defs.map((d) => [d, kinds.get(d) ?? "variable"])) };
}

function declarationKinds(sf: TS.SourceFile): Map<string, DefKind> {
  const kinds = new Map<string, DefKind>();
  for (const s of sf.statements) {
    if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name) kinds.set(s.name.text, ts.isClassDeclaration(s) ? "class" : "function");
    else if (ts.isEnumDeclaration(s)) kinds.set(s.name.text, "enum");
    else if (ts.isModuleDeclaration(s) && ts.isIdentifier(s.name)) kinds.set(s.name.text, "namespace");
    else if (ts.isImportEqualsDeclaration(s)) kinds.set(s.name.text, "import");
    else if (ts.isImportDeclaration(s) && s.importClause) {
      const c = s.importClause;
      if (c.name) kinds.set(c.name.text, "import");
      const nb = c.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) kinds.set(nb.name.text, "import");
      if (nb && ts.isNamedImports(nb)) nb.elements.forEach((el) => kinds.set(el.name.text, "import"));
    }
  }
  return kinds;
}

/** Names bound by a binding name (identifier or destructuring pattern). */
export function bindingNames(name: TS.BindingName, out: string[] = []): string[] {
  if (ts.isIdentifier(name)) out.push(name.text);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bindingNames(el.name, out);
  return out;
}

function declareStatements(statements: readonly TS.Statement[], scope: Scope, typeNames?: Set<string>): void {
  for (const s of statements) {
    if (ts.isVariableStatement(s)) for (const d of s.declarationList.declarations) bindingNames(d.name).forEach((n) => scope.names.add(n));
    else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name) scope.names.add(s.name.text);
    else if (ts.isEnumDeclaration(s)) scope.names.add(s.name.text);
    else if (ts.isModuleDeclaration(s) && ts.isIdentifier(s.name)) scope.names.add(s.name.text);
    else if (ts.isImportEqualsDeclaration(s)) (s.isTypeOnly ? typeNames : scope.names)?.add(s.name.text);
    else if (ts.isImportDeclaration(s) && s.importClause) {
      const c = s.importClause;
      const into = (typeOnly: boolean) => (typeOnly ? typeNames : scope.names);
      if (c.name) into(c.isTypeOnly)?.add(c.name.text);
      const nb = c.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) into(c.isTypeOnly)?.add(nb.name.text);
      if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) into(c.isTypeOnly || el.isTypeOnly)?.add(el.name.text);
    } else if ((ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) && typeNames) typeNames.add(s.name.text);
  }
}

/** `var` declarations anywhere in a function body (not in nested functions) belong to the function scope. */
function hoistVars(body: TS.Node, scope: Scope): void {
  const visit = (node: TS.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isVariableDeclarationList(node) && !(node.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const))) {
      for (const d of node.declarations) bindingNames(d.name).forEach((n) => scope.names.add(n));
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
}

function walk(node: TS.Node, scope: Scope, refs: Set<string>, typeRefs: Set<string>, typeDefs: Set<string>): void {
  const visit = (n: TS.Node | undefined, s: Scope = scope): void => {
    if (n) walk(n, s, refs, typeRefs, typeDefs);
  };
  const children = (n: TS.Node, s: Scope = scope): void => ts.forEachChild(n, (c) => visit(c, s));

  if (ts.isIdentifier(node)) {
    if (!scope.has(node.text)) refs.add(node.text);
    return;
  }
  if (ts.isExpressionWithTypeArguments(node) && !(ts.isHeritageClause(node.parent) && node.parent.token === ts.SyntaxKind.ImplementsKeyword)) {
    // `class A extends B<T>` and `f<T>` read B and f as values; only the type arguments are types.
    visit(node.expression);
    node.typeArguments?.forEach((t) => collectTypeRefs(t, scope, typeRefs));
    return;
  }
  if (ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isTypeParameterDeclaration(node)) {
    collectTypeRefs(node, scope, typeRefs);
    return;
  }
  if (ts.isHeritageClause(node) && node.token === ts.SyntaxKind.ImplementsKeyword) {
    collectTypeRefs(node, scope, typeRefs);
    return;
  }
  if (ts.isImportDeclaration(node) || ts.isImportEqualsDeclaration(node) || ts.isExportDeclaration(node)) return;
  if (ts.isPropertyAccessExpression(node)) return visit(node.expression);
  if (ts.isQualifiedName(node)) return;
  if (ts.isLabeledStatement(node)) return visit(node.statement);
  if (ts.isBreakOrContinueStatement(node) || ts.isMetaProperty(node)) return;
  if (ts.isPropertyAssignment(node)) {
    if (ts.isComputedPropertyName(node.name)) visit(node.name);
    return visit(node.initializer);
  }
  if (ts.isShorthandPropertyAssignment(node)) {
    visit(node.name);
    return visit(node.objectAssignmentInitializer);
  }
  if (ts.isVariableDeclaration(node)) {
    visitBindingDefaults(node.name, visit);
    visit(node.type);
    return visit(node.initializer);
  }
  if (ts.isBindingElement(node)) {
    if (node.propertyName && ts.isComputedPropertyName(node.propertyName)) visit(node.propertyName);
    visitBindingDefaults(node.name, visit);
    return visit(node.initializer);
  }
  if (ts.isFunctionLike(node)) return walkFunction(node, scope, visit);
  if (ts.isClassLike(node)) {
    const inner = new Scope(scope);
    if (ts.isClassExpression(node) && node.name) inner.names.add(node.name.text);
    node.typeParameters?.forEach((t) => inner.typeParams.add(t.name.text));
    decoratorsOf(node).forEach((m) => visit(m));
    node.heritageClauses?.forEach((h) => visit(h));
    for (const member of node.members) {
      if (member.name && ts.isComputedPropertyName(member.name)) visit(member.name);
      decoratorsOf(member).forEach((m) => visit(m, inner));
      if (ts.isPropertyDeclaration(member)) {
        visit(member.type, inner);
        visit(member.initializer, inner);
      } else if (ts.isClassStaticBlockDeclaration(member)) visit(member.body, inner);
      else if (ts.isFunctionLike(member)) walkFunction(member, inner, visit);
      else if (!ts.isSemicolonClassElement(member)) children(member, inner);
    }
    return;
  }
  if (ts.isEnumDeclaration(node)) {
    for (const m of node.members) visit(m.initializer);
    return;
  }
  if (ts.isModuleDeclaration(node)) {
    const inner = new Scope(scope);
    if (node.body && ts.isModuleBlock(node.body)) {
      declareStatements(node.body.statements, inner);
      node.body.statements.forEach((s) => visit(s, inner));
    }
    return;
  }
  if (ts.isBlock(node) || ts.isModuleBlock(node) || ts.isCaseBlock(node)) {
    const inner = new Scope(scope);
    const statements = ts.isCaseBlock(node) ? node.clauses.flatMap((c) => [...c.statements]) : node.statements;
    declareStatements(statements, inner);
    return children(node, inner);
  }
  if (ts.isForStatement(node) || ts.isForInStatement(node) || ts.isForOfStatement(node)) {
    const inner = new Scope(scope);
    const init = ts.isForStatement(node) ? node.initializer : node.initializer;
    if (init && ts.isVariableDeclarationList(init)) for (const d of init.declarations) bindingNames(d.name).forEach((n) => inner.names.add(n));
    return children(node, inner);
  }
  if (ts.isCatchClause(node)) {
    const inner = new Scope(scope);
    if (node.variableDeclaration) bindingNames(node.variableDeclaration.name).forEach((n) => inner.names.add(n));
    return children(node, inner);
  }
  if (ts.isJsxAttribute(node)) return visit(node.initializer);
  children(node);
}

/** Default values in destructuring patterns are expressions that may read names. */
function visitBindingDefaults(name: TS.BindingName, visit: (n: TS.Node | undefined) => void): void {
  if (ts.isIdentifier(name)) return;
  for (const el of name.elements) if (!ts.isOmittedExpression(el)) visit(el);
}

function walkFunction(node: TS.SignatureDeclaration, outer: Scope, visit: (n: TS.Node | undefined, s?: Scope) => void): void {
  decoratorsOf(node).forEach((m) => visit(m, outer));
  if (node.name && ts.isComputedPropertyName(node.name)) visit(node.name, outer);
  const scope = new Scope(outer);
  if ((ts.isFunctionExpression(node) || ts.isFunctionDeclaration(node)) && node.name) scope.names.add(node.name.text);
  scope.names.add("arguments");
  for (const p of node.parameters) bindingNames(p.name).forEach((n) => scope.names.add(n));
  node.typeParameters?.forEach((t) => scope.typeParams.add(t.name.text));
  node.typeParameters?.forEach((t) => visit(t, scope));
  for (const p of node.parameters) {
    decoratorsOf(p).forEach((m) => visit(m, scope));
    visitBindingDefaults(p.name, (n) => visit(n, scope));
    visit(p.type, scope);
    visit(p.initializer, scope);
  }
  visit(node.type, scope);
  const body = (node as TS.FunctionLikeDeclaration).body;
  if (!body) return;
  if (ts.isBlock(body)) {
    declareStatements(body.statements, scope);
    hoistVars(body, scope);
    body.statements.forEach((s) => visit(s, scope));
  } else visit(body, scope);
}

/** Leftmost identifiers of type references and `typeof x` queries, minus type parameters in scope. */
function collectTypeRefs(node: TS.Node, scope: Scope, out: Set<string>): void {
  const typeParams = new Set<string>();
  const visit = (n: TS.Node): void => {
    if ((ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n) || ts.isFunctionTypeNode(n) || ts.isConstructorTypeNode(n) || ts.isMethodSignature(n) || ts.isMappedTypeNode(n)) && "typeParameters" in n) {
      n.typeParameters?.forEach((t) => typeParams.add(t.name.text));
    }
    if (ts.isMappedTypeNode(n)) typeParams.add(n.typeParameter.name.text);
    if (ts.isInferTypeNode(n)) typeParams.add(n.typeParameter.name.text);
    let name: TS.EntityName | TS.Expression | undefined;
    if (ts.isTypeReferenceNode(n)) name = n.typeName;
    else if (ts.isTypeQueryNode(n)) name = n.exprName;
    else if (ts.isExpressionWithTypeArguments(n)) name = n.expression;
    if (name) {
      let left: TS.Node = name;
      while (ts.isQualifiedName(left) || ts.isPropertyAccessExpression(left)) left = ts.isQualifiedName(left) ? left.left : left.expression;
      if (ts.isIdentifier(left) && !typeParams.has(left.text) && !scope.hasTypeParam(left.text) && !scope.has(left.text)) out.add(left.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
}

/** Decorators are expressions that run in the enclosing scope. */
function decoratorsOf(node: TS.Node): readonly TS.Decorator[] {
  return ts.canHaveDecorators(node) ? (ts.getDecorators(node) ?? []) : [];
}
