// Finds the names a cell's closures use: a top-level `let` they capture must stay a live binding; the others can be plain locals.
import type { Node } from "acorn";

type AnyNode = Node & Record<string, any>;

/** Nodes whose code runs later than the statement holding them (functions, class members). */
export const CLOSURE_TYPES: ReadonlySet<string> = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression", "ClassBody"]);

/**
 * Every identifier name that appears inside a function, arrow or class body of `program` (an
 * over-approximation of what closures capture: a parameter that shadows a top-level name counts
 * too, which only costs speed). `all` is true when the cell calls `eval`, which may touch any name.
 */
export function closureNames(program: AnyNode): { names: Set<string>; all: boolean } {
  const names = new Set<string>();
  let all = false;
  const visit = (node: AnyNode, inClosure: boolean) => {
    if (node.type === "Identifier") {
      if (inClosure) names.add(node.name);
      if (node.name === "eval") all = true;
    }
    const inner = inClosure || CLOSURE_TYPES.has(node.type);
    for (const key of Object.keys(node)) {
      const v = node[key];
      if (Array.isArray(v)) {
        for (const c of v) if (c && typeof c.type === "string") visit(c, inner);
      } else if (v && typeof v === "object" && typeof v.type === "string") visit(v, inner);
    }
  };
  visit(program, false);
  return { names, all };
}
