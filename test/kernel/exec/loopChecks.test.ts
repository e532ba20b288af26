// The loop interrupt test sits at the end of each iteration and `continue` is rewritten onto it: loops keep their meaning and still stop. Runs cells in a real executor, in-process.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { createExecutor, type Executor } from "../../../kernel/exec/executor.js";
import { compileCell } from "../../../kernel/exec/transform.js";

let ex: Executor;
let n = 0;
const run = (code: string) => ex.run(code, { label: `Cell[${++n}]`, typeCheck: "off" });
const value = async (code: string) => {
  const r = await run(code);
  assert.equal(r.status, "ok", r.error?.message);
  return r.value;
};

before(() => {
  ex = createExecutor({ notebookDir: mkdtempSync(join(tmpdir(), "mlnb-loopchecks-")), typeCheck: "off" });
  // What the watchdog thread does on an interrupt, callable from a cell at a chosen step.
  ex.scope.raiseInterrupt = () => Atomics.store(ex.interruptFlag, 0, 1);
});

describe("the loop interrupt test", () => {
  it("tests a copy of the flag held by the function at the end of each iteration", () => {
    const { script } = compileCell("function sum(n: number) { let s = 0; for (let i = 0; i < n; i++) s += i; return s; }", "Cell[x]");
    const fn = script.slice(script.indexOf("function sum"));
    assert.match(fn, /\{const __mlnb_f0 = __mlnb_flag;__mlnb_l0: for\(let i = 0; i < n; i\+\+\)\{ \{ s \+= i; \} if \(__mlnb_f0\[0\]\) break __mlnb_l0; \}/);
  });

  it("shares the outermost loop's copy of the flag with the loops inside it, and gives a closure's loop its own", () => {
    const { script } = compileCell("for (let i = 0; i < 2; i++) { for (let j = 0; j < 2; j++) {} [1].map(() => { while (false) {} }); }", "Cell[x]");
    assert.equal(script.match(/const __mlnb_f\d+ = __mlnb_flag/g)?.join(" "), "const __mlnb_f0 = __mlnb_flag const __mlnb_f2 = __mlnb_flag");
    assert.match(script, /if \(__mlnb_f0\[0\]\) break __mlnb_l1;/);
    assert.match(script, /if \(__mlnb_f2\[0\]\) break __mlnb_l2;/);
  });

  it("keeps continue going on with the next iteration in every kind of loop", async () => {
    const code = [
      "const seen: string[] = [];",
      "for (let i = 0; i < 4; i++) { if (i % 2) continue; seen.push(`f${i}`); }",
      "for (const x of [1, 2, 3]) { if (x === 2) continue; seen.push(`o${x}`); }",
      "for (const k in { a: 1, b: 2 }) { if (k === 'a') continue; seen.push(`i${k}`); }",
      "let w = 0;",
      "while (w < 4) { w++; if (w === 2) continue; seen.push(`w${w}`); }",
      "let d = 0;",
      "do { d++; if (d < 3) continue; seen.push(`d${d}`); } while (d < 4);",
      "for (let i = 0; i < 3; i++) if (i === 1) continue; else seen.push(`b${i}`);",
      "seen.join(' ')",
    ].join("\n");
    assert.equal(await value(code), "f0 f2 o1 o3 ib w1 w3 w4 d3 d4 b0 b2");
  });

  it("keeps a labelled continue to an outer loop, continue under switch and continue through finally", async () => {
    const code = [
      "const seen: string[] = [];",
      "outer: for (let i = 0; i < 3; i++) { inner: for (let j = 0; j < 3; j++) { if (j === 1) continue inner; if (j > i) continue outer; seen.push(`${i}${j}`); } seen.push('end'); }",
      "for (let i = 0; i < 3; i++) { switch (i) { case 1: continue; default: seen.push(`s${i}`); } }",
      "let finals = 0;",
      "for (let i = 0; i < 3; i++) { try { if (i < 2) continue; seen.push(`t${i}`); } finally { finals++; } }",
      "function inFunction() { const got: number[] = []; again: for (let i = 0; i < 4; i++) { for (;;) { if (i === 2) continue again; break; } got.push(i); } return got.join(''); }",
      "[seen.join(' '), finals, inFunction()]",
    ].join("\n");
    assert.deepEqual(await value(code), ["00 10 20 22 end s0 s2 t2", 3, "013"]);
  });

  it("stops a loop whose every step ends in continue, at top level and in a function", async () => {
    // Without the rewrite the loops would never reach the test: they end on their own after 1e6 steps.
    const top = await run("let steps = 0;\nfor (;;) { steps++; if (steps === 1000) raiseInterrupt(); if (steps > 1e6) break; continue; }");
    assert.equal(top.status, "interrupted");
    assert.equal(await value("steps"), 1000);
    const inFunction = await run("let calls = 0;\nfunction spin() { while (true) { calls++; if (calls === 500) raiseInterrupt(); if (calls > 1e6) return; continue; } }\nspin();");
    assert.equal(inFunction.status, "interrupted");
    assert.equal(await value("calls"), 500);
  });

  it("stops endless loops in an arrow, a method, a generator and an async function, and the kernel runs the next cell", async () => {
    for (const code of [
      "const arrow = () => { let k = 0; for (;;) if (++k === 100) raiseInterrupt(); };\narrow();",
      "class Spinner { spin() { let k = 0; do { k++; if (k === 100) raiseInterrupt(); } while (true); } }\nnew Spinner().spin();",
      "function* gen() { let k = 0; for (const x of [1].values()) { while (true) if (++k === 100) raiseInterrupt(); } yield k; }\ngen().next();",
      "async function later() { await null; let k = 0; while (true) if (++k === 100) raiseInterrupt(); }\nawait later();",
    ]) {
      assert.equal((await run(code)).status, "interrupted", code);
      assert.equal(await value("6 * 7"), 42);
    }
  });
});
