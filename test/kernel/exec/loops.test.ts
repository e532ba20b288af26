// Cells compiled for speed (plain-local lets, built-ins as constants, cheap loop interrupt tests) keep notebook semantics: run in a real kernel process.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { KernelClient } from "../../../kernel/client.js";
import type { ErrorInfo, Reply } from "../../../kernel/protocol.js";

const notebook = join(mkdtempSync(join(tmpdir(), "mlnb-loops-")), "loops.mlnb");

interface Ran {
  status: string;
  text?: string;
  stdout: string;
  error?: ErrorInfo;
}

async function run(kernel: KernelClient, code: string): Promise<Ran> {
  const ran: Ran = { status: "", stdout: "" };
  const r = await kernel.execute(code, {}, (reply: Reply) => {
    if (reply.type === "result") ran.text = reply.data["text/plain"] as string;
    if (reply.type === "stream" && reply.name === "stdout") ran.stdout += reply.text;
    if (reply.type === "error") ran.error = reply.error;
  });
  ran.status = r.status;
  return ran;
}

/** Run `code` (which prints "spinning" before it loops) and interrupt it 200 ms after that line arrives. */
async function interruptWhileSpinning(kernel: KernelClient, code: string): Promise<{ status: string; stoppedMs: number }> {
  let interruptedAt = 0;
  const onReply = (reply: Reply) => {
    if (reply.type !== "stream" || !reply.text.includes("spinning")) return;
    kernel.off("reply", onReply);
    setTimeout(() => {
      interruptedAt = Date.now();
      kernel.interrupt();
    }, 200);
  };
  kernel.on("reply", onReply);
  const r = await run(kernel, code);
  return { status: r.status, stoppedMs: Date.now() - interruptedAt };
}

describe("loop-heavy cells keep notebook semantics", () => {
  let k: KernelClient;
  before(async () => {
    k = await KernelClient.start({ notebookPath: notebook, typeCheck: "off" });
  });
  after(async () => k.shutdown());

  it("shows a let that a top-level loop updated to the next cell", async () => {
    assert.equal((await run(k, "let total = 0;\nfor (let i = 1; i <= 100; i++) total += i;")).status, "ok");
    assert.equal((await run(k, "total")).text, "5050");
  });

  it("lets a later cell reassign a loop's let, and a function of the first cell sees the new value", async () => {
    await run(k, "let count = 0;\nfunction bump() { count++; return count; }\nfor (let i = 0; i < 3; i++) bump();");
    await run(k, "count = 10;");
    assert.equal((await run(k, "[bump(), count]")).text, "[ 11, 11 ]");
  });

  it("reads an array declared in an earlier cell inside a loop, with Math and Math.floor", async () => {
    await run(k, "const xs = [1, 4, 9, 16];");
    assert.equal((await run(k, "let roots = 0;\nfor (const x of xs) roots += Math.sqrt(x);\nMath.floor(roots * 10)")).text, "100");
  });

  it("gives a function's loop over an earlier cell's array the array the name holds when it is called", async () => {
    await run(k, "const series = [1, 2, 3];");
    assert.equal((await run(k, "function seriesTotal() { let s = 0; for (const x of series) s += x; return s; }\nseriesTotal()")).text, "6");
    await run(k, "const series = [10, 20];");
    assert.equal((await run(k, "seriesTotal()")).text, "30");
  });

  it("sees every rebinding a loop makes, itself or through another cell's function", async () => {
    await run(k, "let grown = [1];");
    assert.equal((await run(k, "for (let i = 0; i < 3; i++) grown = [...grown, i];\ngrown.length")).text, "4");
    await run(k, "let rows = [1];\nfunction grow() { rows = [...rows, rows.length + 1]; }");
    assert.equal((await run(k, "let seenRows = 0;\nfor (let i = 0; i < 3; i++) { grow(); seenRows += rows.length; }\nseenRows")).text, "9");
  });

  it("reads an earlier cell's variable live in a loop that awaits, while a timer rebinds it", async () => {
    await run(k, "const shared = [1];");
    await run(k, "function swapShared() { shared = [1, 2, 3]; }");
    const code = "setTimeout(swapShared, 20);\nlet lastLength = 0;\nfor (let i = 0; i < 4; i++) { await new Promise((ok) => setTimeout(ok, 15)); lastLength = shared.length; }\nlastLength";
    assert.equal((await run(k, code)).text, "3");
  });

  it("lets a cell's own variable named like a built-in shadow it, in that cell and the next", async () => {
    assert.equal((await run(k, "const Math = { sqrt: (x: number) => -x };\nMath.sqrt(4)")).text, "-4");
    assert.equal((await run(k, "Math.sqrt(9)")).text, "-9");
    assert.equal((await run(k, "%reset")).status, "ok");
    assert.equal((await run(k, "Math.sqrt(9)")).text, "3");
  });

  it("keeps labels, continue, break inside switch and loops without braces working", async () => {
    const code = [
      "let seen: string[] = [];",
      "outer: for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) { if (j > i) continue outer; seen.push(`${i}${j}`); }",
      "let n = 0;",
      "do n++; while (n < 5)",
      "if (n === 5) while (n < 8) n++;",
      "for (let i = 0; i < 4; i++) { switch (i) { case 1: continue; case 2: break; default: seen.push(`s${i}`); } }",
      "[seen.join(' '), n]",
    ].join("\n");
    const r = await run(k, code);
    assert.equal(r.status, "ok", r.error?.message);
    assert.equal(r.text, "[ '00 10 11 20 21 22 s0 s3', 8 ]");
  });

  it("publishes destructured lets, redeclares them in a re-run cell and keeps top-level await", async () => {
    const cell = "let { a, b: [c] } = { a: 1, b: [2] };\nlet later = await Promise.resolve(a + c);";
    assert.equal((await run(k, cell)).status, "ok");
    assert.equal((await run(k, cell)).status, "ok");
    assert.equal((await run(k, "[a, c, later]")).text, "[ 1, 2, 3 ]");
  });

  it("keeps the value a let had when a later statement of its cell threw, with and without a loop in the cell", async () => {
    const plain = await run(k, "let step = 1;\nstep = 2;\nthrow new Error('after step 2');");
    assert.equal(plain.status, "error");
    assert.equal((await run(k, "step")).text, "2");
    const looped = await run(k, "let sum = 0;\nfor (let i = 0; i < 10; i++) sum += i;\nnull.boom;");
    assert.equal(looped.status, "error");
    assert.equal((await run(k, "sum")).text, "45");
  });

  it("maps an error thrown inside a loop to the cell's line", async () => {
    const r = await run(k, "let i = 0;\nwhile (true) {\n  i++;\n  if (i === 3) throw new Error('third');\n}");
    assert.equal(r.status, "error");
    assert.equal(r.error?.message, "third");
    assert.equal(r.error?.line, 4);
  });

  it("shows a class and its instances across cells", async () => {
    await run(k, "class Counter { n = 0; add() { for (let i = 0; i < 5; i++) this.n++; return this; } }");
    assert.equal((await run(k, "new Counter().add().n")).text, "5");
  });
});

describe("interrupting loops", () => {
  let k: KernelClient;
  before(async () => {
    k = await KernelClient.start({ notebookPath: notebook, typeCheck: "off" });
  });
  after(async () => k.shutdown());

  // The bound is generous on purpose (a loaded machine): the promise is "stopped", and bench/loops.ts measures how fast.
  for (const [where, code] of [
    ["at top level", 'let spins = 0;\nconsole.log("spinning");\nwhile (true) { spins++; }'],
    ["in a function declared in the cell", 'function spin() { while (true) {} }\nconsole.log("spinning");\nspin();'],
    ["in a callback", 'console.log("spinning");\n[1, 2].forEach(() => { for (;;) {} });'],
    ["in a nested loop after an await", 'await null;\nconsole.log("spinning");\nfor (let i = 0; ; i++) { for (let j = 0; j < 10; j++) {} }'],
    ["in a method", 'class Spinner { spin() { while (true) {} } }\nconsole.log("spinning");\nnew Spinner().spin();'],
    ["in a generator", 'function* spinning() { while (true) {} }\nconsole.log("spinning");\nspinning().next();'],
    ["in an async function after an await", 'async function spinLater() { await null; while (true) {} }\nconsole.log("spinning");\nawait spinLater();'],
  ] as const) {
    it(`stops while (true) ${where}`, async () => {
      const r = await interruptWhileSpinning(k, code);
      assert.equal(r.status, "interrupted");
      assert.ok(r.stoppedMs < 5000, `stopped ${r.stoppedMs} ms after the interrupt`);
      // The kernel answers again only if the loop really stopped (an interrupt settles the cell at once either way).
      const next = await Promise.race([run(k, "6 * 7"), new Promise<undefined>((ok) => setTimeout(ok, 10_000))]);
      assert.equal(next?.text, "42", "the kernel did not answer within 10 s: the loop still spins");
    });
  }

  it("keeps the value an interrupted top-level loop had reached", async () => {
    await interruptWhileSpinning(k, 'let reached = 0;\nconsole.log("spinning");\nfor (;;) reached++;');
    assert.equal((await run(k, "reached > 1000")).text, "true");
  });
});
