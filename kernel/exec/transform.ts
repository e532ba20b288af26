// Turns one TypeScript cell into a script that runs in the kernel's shared scope.
//
// The cell is stripped of types by swc (fast: ~0.02 ms a small cell), parsed with acorn, and
// its top-level declarations are rewritten as assignments into the notebook scope object,
// so later cells see them and may redeclare them. The body is wrapped in
// `async function () { with (scope) { ... } }`: top-level await works, and user names never
// overwrite the kernel's own globals. The built-ins the cell reads are bound as block constants
// (builtinAliases.ts) and loops test the interrupt flag cheaply (loopChecks.ts), so loops run at
// node's speed. Line breaks are preserved by every rewrite; the swc source map takes script lines
// back to cell lines.
import { transformSync } from "../transpile/swc.js";
import type { Strip } from "../transpile/keptStrips.js";
import { parse, type Node } from "acorn";
import { aliasDeclaration, builtinsUsed } from "./builtinAliases.js";
import { closureNames, CLOSURE_TYPES } from "./captured.js";
import { isLoop, loopCheckInserts } from "./loopChecks.js";
import { loopSnapshots } from "./notebookReads.js";
import { decodeLineMap } from "./sourcemap.js";

/** A cell ready to run, or the reason it cannot be. */
export interface CompiledCell {
  /** Script text for vm.Script; evaluates to a function returning the cell's promise. */
  script: string;
  /** Top-level names the cell defines (they go into the notebook scope). */
  declared: string[];
  /** True when the cell's last statement is an expression whose value is the result. */
  hasResult: boolean;
  /** Maps a 1-based script line to the 1-based cell line (undefined outside the cell). */
  cellLine(scriptLine: number): number | undefined;
}

/** The name of the object holding kernel helpers inside cell scripts. */
export const RUNTIME = "__mlnb";

// Cell-local names for the interrupt flag and helpers, declared inside the `with` block: a name
// resolved through `with` is looked up on the scope object at every use (a runtime call each
// time), which made every loop iteration 50-200x slower than plain node. A plain read of the
// shared Int32Array is enough: the watchdog thread's store becomes visible within iterations.
const FLAG = `${RUNTIME}_flag`;
const STOP = `${RUNTIME}_stop`;
const BIND = `${RUNTIME}_bind`;
const SET = `${RUNTIME}_set`;
const GLOBAL = `${RUNTIME}_global`;
/** How many of the cell's plain-local `let` declarations have run (the ones to publish at the end). */
const DONE = `${RUNTIME}_done`;
const RESULT = `${RUNTIME}_result`;
const isLoopType = (type: string) => isLoop({ type } as AnyNode);
const SCOPE = `${RUNTIME}_scope`;
/** Wraps every `await` of the cell, and starts each step of a `for await`: an execution interrupted while it waited does not go on (see executor.ts). */
const RESUMED = `${RUNTIME}_resumed`;
const HELPERS = `const ${FLAG} = ${RUNTIME}.flag, ${STOP} = ${RUNTIME}.stop, ${RESUMED} = ${RUNTIME}.resumed, ${BIND} = ${RUNTIME}.bind, ${SET} = ${RUNTIME}.set, ${GLOBAL} = ${RUNTIME}.global, ${SCOPE} = ${RUNTIME}.scope;`;

/**
 * Publish a cell-local `let` or class that the cell's closures capture to the notebook scope as a
 * live accessor: the cell's own code uses the local, later cells read and assign the same variable,
 * and a function of this cell called later sees what later cells assigned.
 */
const bindText = (name: string) => ` ${BIND}(${JSON.stringify(name)}, () => ${name}, (v) => ${name} = v);`;
/** Publish a binding's current value (a `const`, an import, or a plain-local `let`) as a scope value. */
const setText = (name: string) => ` ${SET}(${JSON.stringify(name)}, ${name});`;

type AnyNode = Node & Record<string, any>;

export interface CompileOptions {
  /** True for a name the notebook scope holds (an earlier cell's variable): never bound as a built-in. */
  isNotebookName?: (name: string) => boolean;
  /** True for a notebook name held as a plain value (not another cell's live binding): loops may read it as a constant. */
  isPlainNotebookValue?: (name: string) => boolean;
  /** How types are stripped (default: swc each time; the kernel keeps outputs across kernels, transpile/keptStrips.ts). */
  strip?: Strip;
}

interface Edit {
  start: number;
  end: number;
  text: string;
  /** Among insertions at one point: lower goes first (default 0, then the order they were made). */
  rank?: number;
}

/**
 * Compile a cell. Throws the swc error for a syntax error (the executor asks the TypeScript
 * parser for the exact position, which swc's message lacks).
 */
export function compileCell(source: string, filename: string, options: CompileOptions = {}): CompiledCell {
  const out = stripCell(source, filename, options.strip);
  const js = out.code;
  const lineMap = out.map ? decodeLineMap(out.map) : [];
  const program = parse(js, {
    ecmaVersion: "latest",
    sourceType: "module",
    allowAwaitOutsideFunction: true,
    allowReturnOutsideFunction: true,
  }) as AnyNode;

  const edits: Edit[] = [];
  const declared = new Set<string>();
  const prologue: string[] = [];
  // A top-level `let` no closure of the cell uses is a plain local of the cell's function (a
  // captured one lives in a heap context, and a loop updating it allocates at every step): its
  // value is published when it is declared and again when the cell ends, however it ends.
  const closures = closureNames(program);
  const locals: string[] = [];
  let importCount = 0;

  // Replace [start, end) by text, keeping the number of line breaks so lines still map.
  const replace = (start: number, end: number, text: string) => {
    const breaks = (js.slice(start, end).match(/\n/g) ?? []).length;
    edits.push({ start, end, text: text + "\n".repeat(breaks) });
  };
  const insert = (at: number, text: string) => edits.push({ start: at, end: at, text });

  const body = program.body as AnyNode[];
  for (const stmt of body) {
    let node = stmt;
    if (node.type === "ExportNamedDeclaration" || node.type === "ExportDefaultDeclaration") {
      if (!node.declaration) {
        replace(node.start, node.end, "");
        continue;
      }
      // A cell has no module to export from: drop the keyword and keep the declaration.
      edits.push({ start: node.start, end: node.declaration.start, text: "" });
      node = node.declaration;
    }
    switch (node.type) {
      case "ImportDeclaration": {
        const temp = `${RUNTIME}_m${importCount++}`;
        const spec = JSON.stringify(node.source.value);
        const parts = [`const ${temp} = await ${RUNTIME}.import(${spec});`];
        for (const s of node.specifiers as AnyNode[]) {
          const local = s.local.name as string;
          declared.add(local);
          if (s.type === "ImportDefaultSpecifier") parts.push(`const ${local} = ${RUNTIME}.interopDefault(${temp});`);
          else if (s.type === "ImportNamespaceSpecifier") parts.push(`const ${local} = ${temp};`);
          else parts.push(`const ${local} = ${temp}[${JSON.stringify(s.imported.name ?? s.imported.value)}];`);
          parts.push(setText(local).trim());
        }
        replace(node.start, node.end, parts.join(" "));
        break;
      }
      case "VariableDeclaration": {
        const decls = node.declarations as AnyNode[];
        if (node.kind !== "var") {
          // `let`/`const` stay cell-local declarations (fast to use), published once they exist.
          const names = decls.flatMap((d) => patternNames(d.id));
          for (const name of names) declared.add(name);
          if (node.kind === "let" && !closures.all && !names.some((n) => closures.names.has(n))) {
            // Declared at the top of the block (so the end of the cell can publish it), assigned here.
            edits.push({ start: node.start, end: decls[0].start, text: "" });
            for (const d of decls) {
              insert(d.start, "(");
              insert(d.end, d.init ? ")" : " = undefined)");
            }
            if (!/;\s*$/.test(js.slice(decls[decls.length - 1].end, node.end))) insert(decls[decls.length - 1].end, ";");
            locals.push(...names);
            insert(node.end, ` ${DONE} = ${locals.length};${names.map(setText).join("")}`);
            break;
          }
          insert(node.end, names.map((n) => (node.kind === "let" ? bindText(n) : setText(n))).join(""));
          break;
        }
        // `var` would hoist out of the `with` block and be resolved through it anyway: keep it
        // an assignment into the scope, where `var x;` keeps an existing value, as in JavaScript.
        edits.push({ start: node.start, end: decls[0].start, text: "" });
        decls.forEach((d, i) => {
          for (const name of patternNames(d.id)) declared.add(name);
          if (d.id.type !== "Identifier") {
            insert(d.id.start, "(");
            insert(d.end, ")");
          } else if (!d.init) insert(d.end, ` = ${d.id.name}`);
          if (i === decls.length - 1 && !/;\s*$/.test(js.slice(d.end, node.end))) insert(d.end, ";");
        });
        break;
      }
      case "FunctionDeclaration": {
        // Function declarations stay in place (hoisted inside the block) and are published
        // to the scope before any other statement runs.
        const name = node.id.name as string;
        declared.add(name);
        prologue.push(setText(name).trim());
        break;
      }
      case "ClassDeclaration": {
        const name = node.id.name as string;
        declared.add(name);
        insert(node.end, bindText(name));
        break;
      }
    }
  }

  const loops: AnyNode[] = [];
  const continues: AnyNode[] = [];
  const awaits: AnyNode[] = [];
  const parents = new Map<AnyNode, AnyNode>();
  walk(program, (n, parent) => {
    if (parent) parents.set(n, parent);
    // Dynamic import() anywhere in the cell resolves like a static import.
    if (n.type === "ImportExpression") replace(n.start, n.start + "import".length, `${RUNTIME}.import`);
    // A cell is a script, where `import.meta` is a syntax error: it gets the notebook's (see moduleGlobals.ts).
    if (n.type === "MetaProperty" && n.meta?.name === "import") replace(n.start, n.end, `${RUNTIME}.meta`);
    // Every loop tests the interrupt flag, so a busy loop stops when the user interrupts.
    if (isLoop(n)) loops.push(n);
    if (n.type === "ContinueStatement") continues.push(n);
    if (n.type === "AwaitExpression") awaits.push(n);
  });
  // `await x` becomes `RESUMED(await x)`: innermost of whatever else opens or closes at its ends.
  for (const a of awaits) {
    edits.push({ start: a.start, end: a.start, text: `${RESUMED}(`, rank: 1 });
    edits.push({ start: a.end, end: a.end, text: ")", rank: -1 - a.start });
  }
  // A `for await` waits at each step with no await expression to wrap: its body checks first.
  for (const loop of loops) {
    if (loop.type !== "ForOfStatement" || !loop.await) continue;
    const body = loop.body as AnyNode;
    const at = body.type === "BlockStatement" ? body.start + 1 : body.start;
    edits.push({ start: at, end: at, text: `${RESUMED}();`, rank: 1 });
  }
  // Publishing the plain-local lets when the cell ends, however it ends, takes a try/finally
  // around the cell; but inside a try a loop keeps its numbers boxed (V8 must be able to hand them
  // to the handler at every step), 3-5x slower. So a cell with loops in its own top-level code
  // publishes without one: after each outermost top-level loop, when a top-level loop is
  // interrupted, and at the end. (An exception thrown there leaves a let at its last published
  // value.)
  const PUBLISH = locals.map((n, i) => `if (${DONE} > ${i}) ${SET}(${JSON.stringify(n)}, ${n});`).join(" ");
  const enclosing = (n: AnyNode, types: (t: string) => boolean) => {
    for (let p = parents.get(n); p; p = parents.get(p)) if (types(p.type)) return p;
    return undefined;
  };
  const inClosure = (n: AnyNode) => !!enclosing(n, (t) => CLOSURE_TYPES.has(t));
  const topLoops = locals.length ? loops.filter((l) => !inClosure(l)) : [];
  const useFinally = locals.length > 0 && topLoops.length === 0;
  const after = (loop: AnyNode, flag: string) => {
    const stopText = `if (${flag}[0]) ${STOP}();`;
    if (!topLoops.includes(loop)) return stopText;
    return enclosing(loop, isLoopType) ? `if (${flag}[0]) { ${PUBLISH} ${STOP}(); }` : `${PUBLISH} ${stopText}`;
  };
  const snapshots = loopSnapshots(program, loops, parents, options.isPlainNotebookValue ?? (() => false));
  const before = (loop: AnyNode) => {
    const names = snapshots.get(loop);
    return names ? ` const ${names.map((n) => `${n} = ${SCOPE}[${JSON.stringify(n)}]`).join(", ")};` : "";
  };
  for (const { at, end, text } of loopCheckInserts(loops, parents, continues, FLAG, { before, after }, `${RUNTIME}_`)) {
    if (end === undefined) insert(at, text);
    else replace(at, end, text);
  }
  const isNotebookName = options.isNotebookName ?? (() => false);
  const aliases = aliasDeclaration(builtinsUsed(program, (n) => declared.has(n) || isNotebookName(n)), GLOBAL);

  const last = [...body].reverse().find((s) => s.type !== "EmptyStatement");
  const hasResult = !!last && last.type === "ExpressionStatement" && !last.directive;
  const publishAtEnd = locals.length > 0 && !useFinally;
  if (hasResult) {
    // acorn's expression range excludes wrapping parentheses: use the statement's range.
    const end = js[last!.end - 1] === ";" ? last!.end - 1 : last!.end;
    insert(last!.start, publishAtEnd ? `${RESULT} = (` : "return (");
    insert(end, publishAtEnd ? `); ${PUBLISH} return ${RESULT}` : ")");
  }

  const rewritten = applyEdits(js, edits);
  // Plain-local lets are published at the end of the cell (see PUBLISH above).
  const hoisted = `let ${locals.join(", ")}, ${DONE} = 0`;
  const [open, close] = useFinally ? [`${hoisted}; try {`, `} finally { ${PUBLISH} }`] : publishAtEnd ? [`${hoisted}, ${RESULT};`, hasResult ? "" : PUBLISH] : ["", ""];
  const script = `(async function () { with (${RUNTIME}.scope) { ${HELPERS} ${aliases} ${open} ${prologue.join(" ")}${rewritten}\n${close} } })`;
  return {
    script,
    declared: [...declared],
    hasResult,
    cellLine: (scriptLine) => {
      const l = lineMap[scriptLine - 1];
      return l === undefined ? undefined : l + 1;
    },
  };
}

/** A cell's code stripped of types as `compileCell` strips it (with `strip`, default swc each time). Throws swc's error for a syntax error. */
export function stripCell(source: string, filename: string, strip: Strip = transformSync): { code: string; map?: string } {
  return strip(source, {
    filename,
    sourceMaps: true,
    isModule: true,
    jsc: {
      parser: { syntax: "typescript", tsx: false, decorators: true },
      target: "es2022",
      transform: { verbatimModuleSyntax: true, useDefineForClassFields: true },
    },
  });
}

/** Names bound by a binding pattern (identifier, object/array destructuring, defaults, rest). */
export function patternNames(p: AnyNode | null): string[] {
  if (!p) return [];
  switch (p.type) {
    case "Identifier":
      return [p.name];
    case "ObjectPattern":
      return (p.properties as AnyNode[]).flatMap((prop) => patternNames(prop.type === "RestElement" ? prop.argument : prop.value));
    case "ArrayPattern":
      return (p.elements as AnyNode[]).flatMap((e) => patternNames(e));
    case "RestElement":
      return patternNames(p.argument);
    case "AssignmentPattern":
      return patternNames(p.left);
    default:
      return [];
  }
}

function walk(node: AnyNode, visit: (n: AnyNode, parent?: AnyNode) => void, parent?: AnyNode): void {
  visit(node, parent);
  for (const key of Object.keys(node)) {
    const v = node[key];
    if (Array.isArray(v)) {
      for (const c of v) if (c && typeof c.type === "string") walk(c, visit, node);
    } else if (v && typeof v === "object" && typeof v.type === "string") walk(v, visit, node);
  }
}

function applyEdits(text: string, edits: Edit[]): string {
  // Stable order: by position, insertions at one point by rank, then in the order they were made.
  const sorted = edits.map((e, i) => ({ ...e, i })).sort((a, b) => a.start - b.start || a.end - b.end || (a.rank ?? 0) - (b.rank ?? 0) || a.i - b.i);
  let out = "";
  let pos = 0;
  for (const e of sorted) {
    if (e.start < pos) continue; // overlapping edit (cannot happen with the rules above)
    out += text.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + text.slice(pos);
}
