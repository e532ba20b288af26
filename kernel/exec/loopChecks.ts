// Makes every loop in a cell interruptible: a cheap flag test at the end of each iteration that leaves the loop, then one throw after it.
//
// A test of the shared interrupt flag on each iteration is nearly free; what is not free is a
// call or a throw inside the loop: V8's on-stack-replaced code then keeps the loop's numbers
// boxed (a heap allocation per `acc += x`), 3-5x slower than plain node (bench/loops.ts). So the
// loop only `break`s out of itself (labelled: the test may sit under a `switch`), and the throw
// happens once, after the loop:
//
//   { const __mlnb_f0 = __mlnb_flag; __mlnb_l0: for (...) { __mlnb_b0: { BODY } if (__mlnb_f0[0]) break __mlnb_l0; }; if (__mlnb_flag[0]) __mlnb_stop(); }
//
// The test reads a copy of the flag in a constant of the loop's own function (`__mlnb_f0`, made
// ahead of the outermost loop and shared by the loops inside it): the cell's `__mlnb_flag` is a
// captured variable in a function of the cell, and reading it through the closure at every step
// adds a context load, a TDZ check and a type check to each iteration.
//
// The test sits at the end of the body, not at its start: a `break` at the start leaves the loop
// with the same values the loop's own exit test sees, and V8 then boxes a number such as `s` in
// `for (...) s += i` at every step to hand the one boxed copy to both exits (2-3x slower in a
// function called once; the end-of-body test hands over the value after the step instead).
// A `continue` of the loop would skip a test at the end, so it becomes `break __mlnb_b0` (the
// labelled block around the body), which lands on the test and then goes on as `continue` did.
//
// (`after` may add to that: a cell's top-level loop publishes the cell's variables first; and
// `before` may declare constants in the block, see notebookReads.ts.)
import type { Node } from "acorn";

type AnyNode = Node & Record<string, any>;

const LOOPS = new Set(["WhileStatement", "DoWhileStatement", "ForStatement", "ForInStatement", "ForOfStatement"]);
const FUNCTIONS = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression", "StaticBlock", "PropertyDefinition"]);

/** Text to put `at` a source offset (insertions at one offset keep the order given), or to replace [at, end) with. */
export interface LoopInsert {
  at: number;
  text: string;
  end?: number;
}

/**
 * The edits that make each of `loops` stop when `flag[0]` is set: the loop is left and
 * `after(loop, flag)` runs, which must throw when `flag[0]` is set (`flag` names the function's copy of it); `before(loop)` is put ahead of the loop
 * in the block that holds it. `parents` maps a node to its parent (for the labels a loop carries);
 * `continues` are the cell's `continue` statements (the ones aimed at a loop become breaks).
 */
export function loopCheckInserts(
  loops: AnyNode[],
  parents: Map<AnyNode, AnyNode>,
  continues: AnyNode[],
  flag: string,
  around: { before: (loop: AnyNode) => string; after: (loop: AnyNode, flag: string) => string },
  prefix: string,
): LoopInsert[] {
  const index = new Map(loops.map((loop, i) => [loop, i]));
  const rewrites: LoopInsert[] = [];
  const continued = new Set<AnyNode>();
  for (const c of continues) {
    const loop = continueTarget(c, parents);
    const i = loop && index.get(loop);
    if (i === undefined) continue;
    continued.add(loop!);
    rewrites.push({ at: c.start, end: c.label ? c.label.end : c.start + "continue".length, text: `break ${prefix}b${i}` });
  }
  const opening: LoopInsert[] = [];
  const closing: LoopInsert[][] = [];
  loops.forEach((loop, i) => {
    const label = `${prefix}l${i}`;
    const root = outermostLoop(loop, parents);
    const local = `${prefix}f${index.get(root)}`;
    // The statement that holds the loop: its label chain, if any (a block inside a label would
    // turn `continue label` into a syntax error).
    let outer = loop;
    for (let p = parents.get(outer); p?.type === "LabeledStatement"; p = parents.get(p)) outer = p;
    const copy = root === loop ? `const ${local} = ${flag};` : "";
    opening.push({ at: outer.start, text: `{${copy}${around.before(loop)}` }, { at: loop.start, text: `${label}: ` });
    const body = loop.body as AnyNode;
    const braces = body.type === "BlockStatement" ? "" : "{ ";
    const bodyLabel = continued.has(loop) ? `${prefix}b${i}: ` : "";
    opening.push({ at: body.start, text: `{ ${bodyLabel}${braces}` });
    closing.push([
      { at: body.end, text: `${braces ? " }" : ""} if (${local}[0]) break ${label}; }` },
      { at: outer.end, text: `; ${around.after(loop, local)} }` },
    ]);
  });
  // Loops come in source order (outer before inner); a loop that ends where an enclosing one ends
  // must close first, so closings go innermost first. A loop ending where the next one starts
  // closes before that one opens: closings come first at any one offset.
  return [...closing.reverse().flat(), ...opening, ...rewrites];
}

/** The outermost loop around `loop` (itself included) in the same function. */
function outermostLoop(loop: AnyNode, parents: Map<AnyNode, AnyNode>): AnyNode {
  let root = loop;
  for (let p = parents.get(loop); p && !FUNCTIONS.has(p.type); p = parents.get(p)) if (LOOPS.has(p.type)) root = p;
  return root;
}

/** The loop a `continue` goes on with: the nearest enclosing loop, or the one its label names. */
function continueTarget(node: AnyNode, parents: Map<AnyNode, AnyNode>): AnyNode | undefined {
  const name = node.label?.name as string | undefined;
  for (let p = parents.get(node); p && !FUNCTIONS.has(p.type); p = parents.get(p)) {
    if (name === undefined ? LOOPS.has(p.type) : p.type === "LabeledStatement" && p.label.name === name) {
      let target = p;
      while (target.type === "LabeledStatement") target = target.body;
      return LOOPS.has(target.type) ? target : undefined;
    }
  }
  return undefined;
}

/** True for the statements that loop (the ones that get an interrupt test). */
export const isLoop = (n: AnyNode): boolean => LOOPS.has(n.type);
