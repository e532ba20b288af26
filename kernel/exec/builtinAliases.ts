// Binds the JavaScript and Node built-ins a cell uses (Math, Array, JSON...) as block constants, so the `with` scope does not look them up at every use.
//
// A cell runs inside `with (notebookScope)`, where every name the cell does not declare itself is
// looked up dynamically at each use: first in the notebook scope, then in the global object.
// `acc += Math.sqrt(i)` in a loop then spends 25x the time plain node does. Built-ins are not
// notebook variables, so the cell gets `const Math = globalThis.Math, ...` at the top of its
// block: the names resolve statically (and V8 inlines Math.sqrt again).
import type { Node } from "acorn";

type AnyNode = Node & Record<string, any>;

/**
 * Globals that are safe to bind once per cell: the ECMAScript built-ins (not `eval`, whose direct
 * calls must stay direct) and Node's usual globals. A cell reads them; it does not replace them.
 */
const BUILTINS = new Set(
  (
    "globalThis Infinity NaN undefined isFinite isNaN parseFloat parseInt decodeURI decodeURIComponent encodeURI encodeURIComponent " +
    "AggregateError Array ArrayBuffer Atomics BigInt BigInt64Array BigUint64Array Boolean DataView Date Error EvalError " +
    "FinalizationRegistry Float32Array Float64Array Function Int8Array Int16Array Int32Array Intl JSON Map Math Number Object " +
    "Promise Proxy RangeError ReferenceError Reflect RegExp Set SharedArrayBuffer String Symbol SyntaxError TypeError " +
    "Uint8Array Uint8ClampedArray Uint16Array Uint32Array URIError WeakMap WeakRef WeakSet " +
    "console process Buffer performance setTimeout clearTimeout setInterval clearInterval setImmediate clearImmediate " +
    "queueMicrotask structuredClone URL URLSearchParams TextEncoder TextDecoder AbortController"
  ).split(" "),
);

/**
 * The built-in names `program` reads and never assigns, minus `exclude` (names the cell declares
 * at top level, names that are notebook variables).
 */
export function builtinsUsed(program: AnyNode, exclude: (name: string) => boolean): string[] {
  const read = new Set<string>();
  const written = new Set<string>();
  visit(program, undefined, (id, parent) => {
    if (!BUILTINS.has(id.name)) return;
    if (!isReference(id, parent)) return;
    if ((parent?.type === "AssignmentExpression" && parent.left === id) || parent?.type === "UpdateExpression") written.add(id.name);
    else read.add(id.name);
  });
  // A name some inner scope declares (a parameter `Map`, `let console`) may be assigned there:
  // assignments anywhere keep the name out, declarations shadow the binding harmlessly.
  return [...read].filter((n) => !written.has(n) && !exclude(n)).sort();
}

/** The declaration that binds `names` inside the cell's block. */
export function aliasDeclaration(names: string[], globalRef: string): string {
  return names.length ? `const ${names.map((n) => `${n} = ${globalRef}.${n}`).join(", ")};` : "";
}

function visit(node: AnyNode, parent: AnyNode | undefined, onIdentifier: (id: AnyNode, parent: AnyNode | undefined) => void): void {
  if (node.type === "Identifier") onIdentifier(node, parent);
  for (const key of Object.keys(node)) {
    const v = node[key];
    if (Array.isArray(v)) {
      for (const c of v) if (c && typeof c.type === "string") visit(c, node, onIdentifier);
    } else if (v && typeof v === "object" && typeof v.type === "string") visit(v, node, onIdentifier);
  }
}

/** False for identifiers that name a property, a label or a key rather than a variable. */
export function isReference(id: AnyNode, parent: AnyNode | undefined): boolean {
  if (!parent) return true;
  switch (parent.type) {
    case "MemberExpression":
      return parent.object === id || parent.computed;
    case "Property":
    case "PropertyDefinition":
    case "MethodDefinition":
      return parent.value === id || parent.computed;
    case "LabeledStatement":
    case "BreakStatement":
    case "ContinueStatement":
    case "MetaProperty":
    case "ImportSpecifier":
    case "ExportSpecifier":
      return false;
    default:
      return true;
  }
}
