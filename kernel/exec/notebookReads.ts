// Lets a loop read an earlier cell's variable (`data[i]` over an array from another cell) from a block constant instead of a `with` lookup at every step.
//
// Inside `with (notebookScope)` a name the cell does not declare is looked up at run time at each
// use, 18x slower than plain node for `for (...) acc += data[i]` (bench/loops.ts). So the block
// that holds an outermost loop starts with `const data = __mlnb_scope.data;`: the loop reads the
// value the variable had when the loop started. That is the variable's value throughout, unless
// something rebinds it while the loop runs, so a name only qualifies when nothing in the cell
// can: the cell never declares or assigns it anywhere, no closure created in the loop reads it
// (it may run after a later cell rebound the name), and the notebook holds it as a plain value,
// not as another cell's live binding (whose functions could assign it). A loop that awaits or
// yields reads live: other code runs while it waits.
import type { Node } from "acorn";
import { isReference } from "./builtinAliases.js";
import { CLOSURE_TYPES } from "./captured.js";
import { patternNames } from "./transform.js";

type AnyNode = Node & Record<string, any>;

/** For each outermost loop (in the cell or in a function) the notebook names it may read as constants. */
export function loopSnapshots(program: AnyNode, loops: AnyNode[], parents: Map<AnyNode, AnyNode>, isPlainNotebookValue: (name: string) => boolean): Map<AnyNode, string[]> {
  const { declared, assigned } = bindingsOf(program);
  const out = new Map<AnyNode, string[]>();
  for (const loop of loops) {
    if (enclosedByLoop(loop, parents)) continue;
    const direct = new Set<string>();
    const inClosures = new Set<string>();
    let pauses = false;
    visit(
      loop,
      undefined,
      false,
      (id, parent, inClosure) => {
        if (isReference(id, parent)) (inClosure ? inClosures : direct).add(id.name);
      },
      (n, inClosure) => {
        if (!inClosure && (n.type === "AwaitExpression" || n.type === "YieldExpression" || n.await === true)) pauses = true;
      },
    );
    // A loop that awaits lets other code (a later cell, even) run in between: it reads live.
    if (pauses) continue;
    const names = [...direct].filter((n) => !inClosures.has(n) && !declared.has(n) && !assigned.has(n) && isPlainNotebookValue(n)).sort();
    if (names.length) out.set(loop, names);
  }
  return out;
}

/** A loop inside another loop of the same function (the outer one holds the constants). */
function enclosedByLoop(loop: AnyNode, parents: Map<AnyNode, AnyNode>): boolean {
  for (let p = parents.get(loop); p && !CLOSURE_TYPES.has(p.type); p = parents.get(p)) {
    if (["WhileStatement", "DoWhileStatement", "ForStatement", "ForInStatement", "ForOfStatement"].includes(p.type)) return true;
  }
  return false;
}

/** Every name the cell declares (in any scope) and every name it assigns. */
function bindingsOf(program: AnyNode): { declared: Set<string>; assigned: Set<string> } {
  const declared = new Set<string>(["arguments"]);
  const assigned = new Set<string>();
  const target = (p: AnyNode | null | undefined) => {
    if (p && p.type !== "MemberExpression") for (const n of patternNames(p)) assigned.add(n);
  };
  visit(program, undefined, false, () => {}, (n) => {
    switch (n.type) {
      case "VariableDeclarator":
        for (const name of patternNames(n.id)) declared.add(name);
        break;
      case "FunctionDeclaration":
      case "FunctionExpression":
      case "ArrowFunctionExpression":
        if (n.id) declared.add(n.id.name);
        for (const p of n.params) for (const name of patternNames(p)) declared.add(name);
        break;
      case "ClassDeclaration":
      case "ClassExpression":
        if (n.id) declared.add(n.id.name);
        break;
      case "CatchClause":
        for (const name of patternNames(n.param)) declared.add(name);
        break;
      case "ImportSpecifier":
      case "ImportDefaultSpecifier":
      case "ImportNamespaceSpecifier":
        declared.add(n.local.name);
        break;
      case "AssignmentExpression":
        target(n.left);
        break;
      case "UpdateExpression":
        target(n.argument);
        break;
      case "ForInStatement":
      case "ForOfStatement":
        if (n.left.type !== "VariableDeclaration") target(n.left);
        break;
    }
  });
  return { declared, assigned };
}

function visit(
  node: AnyNode,
  parent: AnyNode | undefined,
  inClosure: boolean,
  onIdentifier: (id: AnyNode, parent: AnyNode | undefined, inClosure: boolean) => void,
  onNode?: (n: AnyNode, inClosure: boolean) => void,
): void {
  onNode?.(node, inClosure);
  if (node.type === "Identifier") onIdentifier(node, parent, inClosure);
  const inner = inClosure || CLOSURE_TYPES.has(node.type);
  for (const key of Object.keys(node)) {
    const v = node[key];
    if (Array.isArray(v)) {
      for (const c of v) if (c && typeof c.type === "string") visit(c, node, inner, onIdentifier, onNode);
    } else if (v && typeof v === "object" && typeof v.type === "string") visit(v, node, inner, onIdentifier, onNode);
  }
}
