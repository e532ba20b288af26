// Makes every loop in a cell interruptible: a cheap flag test per iteration that leaves the loop, then one throw after it.
//
// A test of the shared interrupt flag on each iteration is nearly free; what is not free is a
// call or a throw inside the loop: V8's on-stack-replaced code then keeps the loop's numbers
// boxed (a heap allocation per `acc += x`), 3-5x slower than plain node (bench/loops.ts). So the
// loop only `break`s out of itself (labelled: the test may sit under a `switch`), and the throw
// happens once, after the loop:
//
//   { __mlnb_l0: for (...) { if (__mlnb_flag[0]) break __mlnb_l0; BODY }; if (__mlnb_flag[0]) __mlnb_stop(); }
//
// (`after` may add to that: a cell's top-level loop publishes the cell's variables first; and
// `before` may declare constants in the block, see notebookReads.ts.)
//
// `continue` still works: the test is at the start of the body, and the labels a loop already
// has stay on it (a loop may carry several labels).
import type { Node } from "acorn";

type AnyNode = Node & Record<string, any>;

const LOOPS = new Set(["WhileStatement", "DoWhileStatement", "ForStatement", "ForInStatement", "ForOfStatement"]);

/** Where to put text: `at` a source offset (insertions at one offset keep the order given). */
export interface LoopInsert {
  at: number;
  text: string;
}

/**
 * The insertions that make each of `loops` stop when `flag[0]` is set: the loop is left and
 * `after(loop)` runs, which must throw when the flag is set; `before(loop)` is put ahead of the loop
 * in the block that holds it. `parents` maps a node to its parent (for the labels a loop carries).
 */
export function loopCheckInserts(
  loops: AnyNode[],
  parents: Map<AnyNode, AnyNode>,
  flag: string,
  around: { before: (loop: AnyNode) => string; after: (loop: AnyNode) => string },
  prefix: string,
): LoopInsert[] {
  const opening: LoopInsert[] = [];
  const closing: LoopInsert[][] = [];
  loops.forEach((loop, i) => {
    const label = `${prefix}${i}`;
    const test = ` if (${flag}[0]) break ${label};`;
    // The statement that holds the loop: its label chain, if any (a block inside a label would
    // turn `continue label` into a syntax error).
    let outer = loop;
    for (let p = parents.get(outer); p?.type === "LabeledStatement"; p = parents.get(p)) outer = p;
    opening.push({ at: outer.start, text: `{${around.before(loop)}` }, { at: loop.start, text: `${label}: ` });
    const body = loop.body as AnyNode;
    const mine: LoopInsert[] = [];
    if (body.type === "BlockStatement") opening.push({ at: body.start + 1, text: test });
    else {
      opening.push({ at: body.start, text: `{${test} ` });
      mine.push({ at: body.end, text: "}" });
    }
    mine.push({ at: outer.end, text: `; ${around.after(loop)} }` });
    closing.push(mine);
  });
  // Loops come in source order (outer before inner); a loop that ends where an enclosing one ends
  // must close first, so closings go innermost first. A loop ending where the next one starts
  // closes before that one opens: closings come first at any one offset.
  return [...closing.reverse().flat(), ...opening];
}

/** True for the statements that loop (the ones that get an interrupt test). */
export const isLoop = (n: AnyNode): boolean => LOOPS.has(n.type);
