// Turns one TypeScript cell into a script that runs in the kernel's shared scope.
//
// The cell is stripped of types by swc (fast: ~0.02 ms a small cell), parsed with acorn, and
// its top-level declarations are rewritten as assignments into the notebook scope object,
// so later cells see them and may redeclare them. The body is wrapped in
// `async function () { with (scope) { ... } }`: top-level await works, and user names never
// overwrite the kernel's own globals. Line breaks are preserved by every rewrite; the swc
// source map takes script lines back to cell lines.
import { transformSync } from "../transpile/swc.js";
import { parse, type Node } from "acorn";
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

const LOOPS = new Set(["WhileStatement", "DoWhileStatement", "ForStatement", "ForInStatement", "ForOfStatement"]);
// Cell-local names for the interrupt flag and helpers, declared inside the `with` block: a name
// resolved through `with` is looked up on the scope object at every use (a runtime call each
// time), which made every loop iteration 50-200x slower than plain node. A plain read of the
// shared Int32Array is enough: the watchdog thread's store becomes visible within iterations.
const FLAG = `${RUNTIME}_flag`;
const STOP = `${RUNTIME}_stop`;
const BIND = `${RUNTIME}_bind`;
const HELPERS = `const ${FLAG} = ${RUNTIME}.flag, ${STOP} = ${RUNTIME}.stop, ${BIND} = ${RUNTIME}.bind;`;
const INTERRUPT_CHECK = ` if (${FLAG}[0]) ${STOP}();`;

/**
 * Publish a cell-local binding to the notebook scope as a live accessor, so the cell's own code
 * uses a fast local while later cells (and the kernel) read and assign the same variable. A
 * `const` has no setter here: assigning it from outside (a later cell, a cache restore) turns it
 * into a plain scope value.
 */
const bindText = (name: string, mutable: boolean) =>
  ` ${BIND}(${JSON.stringify(name)}, () => ${name}${mutable ? `, (v) => ${name} = v` : ""});`;

type AnyNode = Node & Record<string, any>;

interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * Compile a cell. Throws the swc error for a syntax error (the executor asks the TypeScript
 * parser for the exact position, which swc's message lacks).
 */
export function compileCell(source: string, filename: string): CompiledCell {
  const out = transformSync(source, {
    filename,
    sourceMaps: true,
    isModule: true,
    jsc: {
      parser: { syntax: "typescript", tsx: false, decorators: true },
      target: "es2022",
      transform: { verbatimModuleSyntax: true, useDefineForClassFields: true },
    },
  });
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
          parts.push(bindText(local, false).trim());
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
          insert(node.end, names.map((n) => bindText(n, node.kind === "let")).join(""));
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
        prologue.push(`${RUNTIME}.scope[${JSON.stringify(name)}] = ${name};`);
        break;
      }
      case "ClassDeclaration": {
        const name = node.id.name as string;
        declared.add(name);
        insert(node.end, bindText(name, true));
        break;
      }
    }
  }

  walk(program, (n) => {
    // Dynamic import() anywhere in the cell resolves like a static import.
    if (n.type === "ImportExpression") replace(n.start, n.start + "import".length, `${RUNTIME}.import`);
    // A cell is a script, where `import.meta` is a syntax error: it gets the notebook's (see moduleGlobals.ts).
    if (n.type === "MetaProperty" && n.meta?.name === "import") replace(n.start, n.end, `${RUNTIME}.meta`);
    // Every loop checks the interrupt flag, so a busy loop stops when the user interrupts. (A
    // counter reading the flag every 1024 iterations measured no faster: bench/loops.ts.)
    if (LOOPS.has(n.type)) {
      const b = n.body as AnyNode;
      if (b.type === "BlockStatement") insert(b.start + 1, INTERRUPT_CHECK);
      else {
        insert(b.start, `{${INTERRUPT_CHECK}`);
        insert(b.end, "}");
      }
    }
  });

  const last = [...body].reverse().find((s) => s.type !== "EmptyStatement");
  const hasResult = !!last && last.type === "ExpressionStatement" && !last.directive;
  if (hasResult) {
    // acorn's expression range excludes wrapping parentheses: use the statement's range.
    const end = js[last!.end - 1] === ";" ? last!.end - 1 : last!.end;
    insert(last!.start, "return (");
    insert(end, ")");
  }

  const rewritten = applyEdits(js, edits);
  const script = `(async function () { with (${RUNTIME}.scope) { ${HELPERS} ${prologue.join(" ")}${rewritten}\n} })`;
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
  // Stable order: by position, insertions at one point in the order they were made.
  const sorted = edits.map((e, i) => ({ ...e, i })).sort((a, b) => a.start - b.start || a.end - b.end || a.i - b.i);
  let out = "";
  let pos = 0;
  for (const e of sorted) {
    if (e.start < pos) continue; // overlapping edit (cannot happen with the rules above)
    out += text.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + text.slice(pos);
}
