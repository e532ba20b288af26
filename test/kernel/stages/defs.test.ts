// Tests of per-cell definitions and free-name references from the TypeScript AST.
import assert from "node:assert/strict";
import { test } from "node:test";
import { analyzeCell } from "../../../kernel/stages/defs.js";

test("defines every kind of top-level name", () => {
  const r = analyzeCell(`
    import * as aq from "arquero";
    import tf, { layers as L, type Tensor } from "@tensorflow/tfjs";
    import type { Table } from "arquero";
    const { a, b: [c, ...rest], ...others } = obj;
    let x = 1, y;
    var z;
    function f() {}
    class K {}
    enum E { A }
    interface I {}
    type T = number;
    if (x) { var hoisted = 1; let blockLocal = 2; }
  `);
  assert.deepEqual(r.defs, ["E", "K", "L", "a", "aq", "c", "f", "hoisted", "others", "rest", "tf", "x", "y", "z"]);
  assert.deepEqual(r.typeDefs, ["I", "T", "Table", "Tensor"]);
  assert.deepEqual(r.refs, ["obj"]);
  assert.deepEqual(r.kinds, { E: "enum", K: "class", L: "import", a: "variable", aq: "import", c: "variable", f: "function", hoisted: "variable", others: "variable", rest: "variable", tf: "import", x: "variable", y: "variable", z: "variable" });
});

test("reads free names but not locals, parameters or property names", () => {
  const r = analyzeCell(`
    const model = train(clean, { epochs, lr: rate });
    function score(rows, k = topK) {
      const local = rows.map((r) => r.value * weight);
      for (const item of local) total += item;
      try { risky(); } catch (err) { report(err); }
      return local.length + arguments.length;
    }
    label: for (let i = 0; i < n; i++) { if (i) continue label; }
    const o = { key: value, [computed]: 1, method() { return this.key + helper; } };
    obj.prop.deep;
    const { p = fallback } = source;
  `);
  assert.deepEqual(r.refs, ["clean", "computed", "epochs", "fallback", "helper", "n", "obj", "rate", "report", "risky", "source", "topK", "total", "train", "value", "weight"]);
});

test("counts globals as refs so the graph can decide whether a cell defines them", () => {
  assert.deepEqual(analyzeCell("console.log(Math.max(...xs));").refs, ["Math", "console", "xs"]);
});

test("keeps type-only uses out of the refs unless the name is also read as a value", () => {
  const r = analyzeCell(`
    const rows: Row[] = [];
    function f<G>(m: Model, g: G): typeof scaler { return m as unknown as Out; }
    const k = new Model();
    class C extends Base<Arg> implements Iface {}
    const inst = make<Param>();
  `);
  assert.deepEqual(r.refs, ["Base", "Model", "make"]);
  assert.deepEqual(r.typeRefs, ["Arg", "Iface", "Out", "Param", "Row", "scaler"]);
});

test("does not read its own definitions, even before they are declared", () => {
  const r = analyzeCell("const b = helper(a);\nfunction helper(v) { return v + later; }\nconst later = 1;");
  assert.deepEqual(r.refs, ["a"]);
  assert.deepEqual(r.defs, ["b", "helper", "later"]);
});

test("analyses a cell with syntax errors without throwing", () => {
  const r = analyzeCell("const a = (b + ;\nconst c = d;");
  assert.ok(r.defs.includes("c"));
  assert.ok(r.refs.includes("d"));
});
