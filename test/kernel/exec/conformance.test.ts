// Executor conformance suite: cells run in a real kernel process, as the extension and CLI run them.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { KernelClient } from "../../../kernel/client.js";
import type { ErrorInfo, MimeBundle, Reply } from "../../../kernel/protocol.js";

interface Ran {
  status: string;
  stdout: string;
  stderr: string;
  result?: MimeBundle;
  displays: MimeBundle[];
  error?: ErrorInfo;
}

const dir = mkdtempSync(join(tmpdir(), "mlnb-conf-"));
const notebook = join(dir, "t.mlnb");
writeFileSync(join(dir, "local.mjs"), "export const fromLocal = 41;\n");

async function run(kernel: KernelClient, code: string): Promise<Ran> {
  const ran: Ran = { status: "", stdout: "", stderr: "", displays: [] };
  const r = await kernel.execute(code, {}, (reply: Reply) => {
    if (reply.type === "stream") ran[reply.name] += reply.text;
    if (reply.type === "result") ran.result = reply.data;
    if (reply.type === "display") ran.displays.push(reply.data);
    if (reply.type === "error") ran.error = reply.error;
  });
  ran.status = r.status;
  return ran;
}

const text = (r: Ran) => r.result?.["text/plain"];

describe("executor conformance (cells in a kernel process)", () => {
  let k: KernelClient;
  before(async () => {
    k = await KernelClient.start({ notebookPath: notebook, typeCheck: "error" });
  });
  after(async () => k.shutdown());

  it("shares top-level variables between cells", async () => {
    await run(k, "const a = 20;");
    assert.equal(text(await run(k, "a + 1")), "21");
  });

  it("lets a later cell redeclare a const, with a new type", async () => {
    await run(k, "const r1 = 1;");
    const r = await run(k, 'const r1 = "now a string"; r1.toUpperCase()');
    assert.equal(r.status, "ok");
    assert.equal(text(r), "'NOW A STRING'");
  });

  it("reassigns a let declared in an earlier cell", async () => {
    await run(k, "let counter = 1;");
    await run(k, "counter += 41;");
    assert.equal(text(await run(k, "counter")), "42");
  });

  it("reports reassigning a const of an earlier cell as a type error", async () => {
    await run(k, "const fixed = 1;");
    const r = await run(k, "fixed = 2;");
    assert.equal(r.status, "error");
    assert.match(r.error!.message, /Cannot assign to 'fixed'/);
  });

  it("keeps functions, classes, interfaces and enums across cells", async () => {
    await run(k, "interface Shape { area(): number }\nenum Kind { Square = 2, Cube = 3 }\nclass Sq implements Shape { constructor(readonly s: number) {}\n  area() { return this.s ** Kind.Square } }\nfunction twice(x: number) { return 2 * x }");
    const r = await run(k, "const shapes: Shape[] = [new Sq(3)];\ntwice(shapes[0].area()) + Kind.Cube");
    assert.equal(r.status, "ok", r.error?.message);
    assert.equal(text(r), "21");
  });

  it("calls a function declared below its first use in the same cell", async () => {
    await run(k, "const viaHoist = hoisted(2);\nfunction hoisted(n: number) { return n * 10 }");
    assert.equal(text(await run(k, "viaHoist")), "20");
  });

  it("binds destructured names at top level", async () => {
    await run(k, "const { p, q: [q1, ...qs], ...others } = { p: 1, q: [2, 3, 4], z: 5 };");
    assert.equal(text(await run(k, "[p, q1, qs, others]")), "[ 1, 2, [ 3, 4 ], { z: 5 } ]");
  });

  it("awaits at top level", async () => {
    const r = await run(k, "const waited = await new Promise<number>((ok) => setTimeout(() => ok(7), 20));\nwaited * 6");
    assert.equal(text(r), "42");
  });

  it("imports an ESM-only package (arquero) and a CommonJS one (@tensorflow/tfjs) statically", async () => {
    const r = await run(k, 'import * as aq from "arquero";\nimport * as tf from "@tensorflow/tfjs";\nconst t = aq.table({ v: [1, 2, 3] });\n[t.numRows(), tf.tensor([1, 2, 3]).sum().dataSync()[0]]');
    assert.equal(r.status, "ok", r.error?.message);
    assert.equal(text(r), "[ 3, 6 ]");
  });

  it("imports mlnb itself and a file beside the notebook", async () => {
    const r = await run(k, '// @ts-ignore: a plain .mjs file has no types\nimport { fromLocal } from "./local.mjs";\nimport { log } from "mlnb";\n[typeof log.metric, fromLocal + 1]');
    assert.equal(r.status, "ok", r.error?.message);
    assert.equal(text(r), "[ 'function', 42 ]");
  });

  it("reports a type error with the cell's line and column and does not run the cell", async () => {
    const r = await run(k, 'let ranAnyway = true;\nconst wrong: number = "x";');
    assert.equal(r.status, "error");
    assert.equal(r.error!.line, 2);
    assert.equal(r.error!.column, 7);
    assert.match(r.error!.message, /2:7 - TS2322: Type 'string' is not assignable to type 'number'/);
    const probe = await run(k, "// @ts-ignore: never declared, as the cell did not run\ntypeof ranAnyway");
    assert.equal(text(probe), "'undefined'");
  });

  it("reports a syntax error with its position", async () => {
    const r = await run(k, "const ok = 1;\nconst broken = ;");
    assert.equal(r.status, "error");
    assert.equal(r.error!.line, 2);
    assert.match(r.error!.message, /Expression expected/);
  });

  it("maps a runtime error's stack to the cell's own line numbers", async () => {
    const r = await run(k, "function inner(): never {\n  throw new RangeError('deep');\n}\n\ninner();");
    assert.equal(r.status, "error");
    assert.equal(r.error!.name, "RangeError");
    assert.equal(r.error!.line, 2);
    assert.match(r.error!.stack!, /at inner \(Cell\[\d+\], line 2\)/);
  });

  it("sends console output of the cell as its stdout and stderr", async () => {
    const r = await run(k, 'console.log("out", 1);\nconsole.error("err");\nprocess.stdout.write("raw\\n");');
    assert.equal(r.stdout, "out 1\nraw\n");
    assert.equal(r.stderr, "err\n");
  });

  it("shows an arquero table as an HTML table with its size", async () => {
    const r = await run(k, 'aq.table({ x: Array.from({ length: 25 }, (_, i) => i), y: Array(25).fill("a") })');
    const html = r.result?.["text/html"] as string;
    assert.match(html, /<table/);
    assert.match(html, /25 rows × 2 columns \(first 10 shown\)/);
    assert.equal((html.match(/<tr/g) ?? []).length, 11); // header + 10 rows
  });

  it("shows a returned vega-lite spec as a chart with an SVG fallback", async () => {
    const r = await run(k, '({ $schema: "https://vega.github.io/schema/vega-lite/v5.json", data: { values: [{ a: 1, b: 2 }, { a: 2, b: 3 }] }, mark: "bar", encoding: { x: { field: "a", type: "ordinal" }, y: { field: "b", type: "quantitative" } } })');
    assert.equal((r.result?.["application/vnd.vegalite.v5+json"] as { mark: string }).mark, "bar");
    assert.match(r.result?.["image/svg+xml"] as string, /^<svg[\s\S]*<\/svg>$/);
  });

  it("displays html, markdown, json and svg through display", async () => {
    const r = await run(k, 'display.html("<b>bold</b>"); display.markdown("# t"); display.json({ a: 1 }); display.svg("<svg></svg>");');
    assert.deepEqual(r.displays.map((d) => Object.keys(d)[0]), ["text/html", "text/markdown", "application/json", "image/svg+xml"]);
    assert.equal(r.displays[0]["text/html"], "<b>bold</b>");
  });

  it("runs a notebook written for tslab unchanged", async () => {
    const r = await run(k, 'import * as tslab from "tslab";\ntslab.display.html("<i>from tslab</i>");');
    assert.equal(r.status, "ok", r.error?.message);
    assert.equal(r.displays[0]["text/html"], "<i>from tslab</i>");
  });

  it("interrupts an endless loop within a second and keeps the variables", async () => {
    await run(k, "const keep = 'kept';");
    // Interrupt once the loop runs (its line before it printed), not while the cell is type checked.
    let started = 0;
    const onStdout = (reply: Reply) => {
      if (reply.type !== "stream" || !reply.text.includes("spinning")) return;
      k.off("reply", onStdout);
      setTimeout(() => {
        started = Date.now();
        k.interrupt();
      }, 200);
    };
    k.on("reply", onStdout);
    const r = await run(k, 'let spins = 0;\nconsole.log("spinning");\nwhile (true) { spins++; }');
    assert.equal(r.status, "interrupted");
    assert.ok(Date.now() - started < 1000, `stopped ${Date.now() - started} ms after the interrupt`);
    assert.equal(text(await run(k, "[keep, spins > 0]")), "[ 'kept', true ]");
  });

  it("interrupts a loop that runs after an await, and an await that never settles", async () => {
    const loop = run(k, "await null;\nfor (;;) {}");
    setTimeout(() => k.interrupt(), 200);
    assert.equal((await loop).status, "interrupted");
    const hang = run(k, "await new Promise(() => {});");
    setTimeout(() => k.interrupt(), 200);
    assert.equal((await hang).status, "interrupted");
    assert.equal(text(await run(k, "1 + 1")), "2");
  });

  it("stops a cell interrupted while it awaits when the wait ends, even after the next cell lowered the flag", async () => {
    // Before: the cell was reported interrupted, the next cell started (the flag down), and when the
    // timer fired the first cell's loop spun for ever, so the cell after that never ran.
    const waiting = run(k, "await new Promise((ok) => setTimeout(ok, 300));\n(globalThis as any).__resumedLoop = true;\nfor (;;) {}");
    setTimeout(() => k.interrupt(), 50);
    assert.equal((await waiting).status, "interrupted", (await waiting).error?.message);
    assert.equal(text(await run(k, "6 * 7")), "42");
    await new Promise((ok) => setTimeout(ok, 500));
    const after = await Promise.race([run(k, "[7 * 7, (globalThis as any).__resumedLoop === true]"), new Promise<Ran>((_, no) => setTimeout(() => no(new Error("the kernel did not answer within 10 s: the interrupted cell's loop spins")), 10_000))]);
    assert.equal(text(after), "[ 49, false ]");
  });

  it("stops a for-await loop over a library's stream at its next step once its cell was interrupted", async () => {
    // node:timers/promises' setInterval is an async iterator from outside the cell: no await of the cell's own to check.
    // Interrupt once the loop steps (its first step printed), not while the cell is type checked.
    const onStdout = (reply: Reply) => {
      if (reply.type !== "stream" || !reply.text.includes("stepping")) return;
      k.off("reply", onStdout);
      setTimeout(() => k.interrupt(), 100);
    };
    k.on("reply", onStdout);
    const ticking = run(k, 'import { setInterval as every } from "node:timers/promises";\nconst gt = globalThis as any;\ngt.__steps = 0;\nfor await (const _ of every(20)) if (gt.__steps++ === 0) console.log("stepping");');
    assert.equal((await ticking).status, "interrupted", (await ticking).error?.message);
    const atInterrupt = Number(text(await run(k, "(globalThis as any).__steps")));
    await new Promise((ok) => setTimeout(ok, 300));
    const later = Number(text(await run(k, "(globalThis as any).__steps")));
    assert.ok(atInterrupt > 0, "the loop ran before the interrupt");
    assert.ok(later <= atInterrupt + 1, `the loop went on after its cell was interrupted: ${atInterrupt} steps, then ${later}`);
  });

  it("keeps a background task of a cell that was not interrupted going when another cell is interrupted", async () => {
    // The task awaits in a chain of callbacks (no loop: a loop of any cell sees the interrupt flag while it is up).
    await run(k, "const g = globalThis as any;\ng.__ticks = 0;\nconst tick = async () => { await new Promise((ok) => setTimeout(ok, 10)); g.__ticks++; if (!g.__stopTicks) void tick(); };\nvoid tick();");
    const loop = run(k, "for (;;) {}");
    setTimeout(() => k.interrupt(), 100);
    assert.equal((await loop).status, "interrupted", (await loop).error?.message);
    const before = Number(text(await run(k, "g.__ticks")));
    await new Promise((ok) => setTimeout(ok, 200));
    const later = Number(text(await run(k, "const later = g.__ticks;\ng.__stopTicks = true;\nlater")));
    assert.ok(later > before, `ticks went from ${before} to ${later}`);
  });

  it("keeps the value of every await, wherever it stands in the cell", async () => {
    // Each await is wrapped for the interrupt check: results, lets published at the end, nested awaits.
    assert.equal(text(await run(k, "let got = await Promise.resolve(2);\nfor (let i = 0; i < 3; i++) got += await Promise.resolve(i);\nawait got")), "5", JSON.stringify(await run(k, "got")));
    assert.equal(text(await run(k, "const twice = await await Promise.resolve(Promise.resolve(3));\n[twice, got, (await import('node:path')).sep]")), "[ 3, 5, '/' ]");
  });
});

describe("an interrupt while a cell is still being prepared", () => {
  it("keeps the cell from starting, so a fresh kernel's first busy loop never spins on after it was reported interrupted", async () => {
    // A fresh kernel spends its first request loading the notebook's modules: an interrupt that
    // lands then, or after the cell was set up but before its code's macrotask came, must keep
    // the cell from starting (the next cell lowers the flag, so a late start would spin unseen).
    // The delays sweep the windows: which one an interrupt hits depends on the machine's load.
    for (const delay of [0, 2, 5, 10, 20]) {
      const k = await KernelClient.start({ notebookPath: notebook, typeCheck: "off" });
      try {
        const loop = run(k, "globalThis.__started = true;\nfor (;;) {}");
        setTimeout(() => k.interrupt(), delay);
        assert.equal((await loop).status, "interrupted", `interrupt after ${delay} ms`);
        // Whether the interrupt came before or after the loop began, the kernel answers the next cell.
        const next = await Promise.race([run(k, "6 * 7"), new Promise<Ran>((_, no) => setTimeout(() => no(new Error(`interrupt after ${delay} ms: the kernel did not answer within 20 s, the interrupted cell is still spinning`)), 20_000))]);
        assert.equal(text(next), "42");
      } finally {
        await k.shutdown();
      }
    }
  });
});

describe("kernel death", () => {
  it("reports that the kernel died when a cell calls process.exit, and a new kernel runs the next cell", async () => {
    const k = await KernelClient.start({ notebookPath: notebook, typeCheck: "off" });
    const r = await run(k, "process.exit(1)");
    assert.equal(r.status, "error");
    assert.equal(r.error!.name, "KernelDied");
    assert.match(r.error!.message, /exit code 1/);
    assert.equal(k.alive, false);
    const fresh = await KernelClient.start({ notebookPath: notebook, typeCheck: "off" });
    assert.equal(text(await run(fresh, "6 * 7")), "42");
    await fresh.shutdown();
  });

  it("survives a timer that throws after the cell finished, reporting it as a fault of that cell", async () => {
    const k = await KernelClient.start({ notebookPath: notebook, typeCheck: "off" });
    try {
      const faults: string[] = [];
      k.on("fault", (f: Extract<Reply, { type: "fault" }>) => faults.push(f.error.message));
      const first = await run(k, "const survivor = 7;\nsetTimeout(() => { throw new Error('late boom') }, 50); 'scheduled'");
      assert.equal(first.status, "ok");
      for (let i = 0; i < 100 && !faults.length; i++) await new Promise((r) => setTimeout(r, 50));
      assert.match(faults[0] ?? "", /late boom/);
      assert.equal(text(await run(k, "survivor * 6")), "42");
      assert.equal(k.alive, true);
    } finally {
      await k.shutdown();
    }
  });
});

describe("faults with the wasm backend loaded", () => {
  it("survives a throw in a timer and an unhandled rejection after tfjs-backend-wasm is initialised", async () => {
    // Emscripten's Node shell adds process handlers that throw again: loaded, they made every such fault fatal.
    const k = await KernelClient.start({ notebookPath: notebook, typeCheck: "off" });
    try {
      const faults: string[] = [];
      k.on("fault", (f: Extract<Reply, { type: "fault" }>) => faults.push(f.error.message));
      const ready = await run(k, 'import * as tf from "@tensorflow/tfjs";\nimport "@tensorflow/tfjs-backend-wasm";\nawait tf.setBackend("wasm");\nconst wasmKept = 5;\ntf.getBackend()');
      assert.equal(text(ready), "'wasm'", ready.error?.message);
      await run(k, "setTimeout(() => { throw new Error('timer boom') }, 20);\nvoid Promise.reject(new Error('rejected boom'));");
      for (let i = 0; i < 100 && faults.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(faults.map((f) => /timer boom|rejected boom/.exec(f)?.[0]).sort(), ["rejected boom", "timer boom"]);
      assert.equal(text(await run(k, "wasmKept * 8")), "40");
      assert.equal(k.alive, true);
    } finally {
      await k.shutdown();
    }
  });
});

describe("re-running cells", () => {
  it("knows the type a re-run cell gives a name that a later cell had redeclared", async () => {
    const k = await KernelClient.start({ notebookPath: notebook, typeCheck: "error" });
    try {
      await run(k, "const shifty = 1;");
      await run(k, 'const shifty = "text";');
      await run(k, "const shifty = 1;");
      const r = await run(k, "const doubled: number = shifty * 2;\ndoubled");
      assert.equal(r.status, "ok", r.error?.message);
      assert.equal(text(r), "2");
    } finally {
      await k.shutdown();
    }
  });
});

describe("%time and %%time", () => {
  it("times one statement with %time, keeping the cell's result and line numbers", async () => {
    const k = await KernelClient.start({ notebookPath: notebook, typeCheck: "error" });
    try {
      const r = await run(k, "const slow = 2;\n%time const waited = await new Promise<number>((ok) => setTimeout(() => ok(slow), 30));\n%time waited * 21");
      assert.equal(r.status, "ok", r.error?.message);
      assert.equal(text(r), "42");
      const times = [...r.stdout.matchAll(/^Wall time: ([\d.]+) ms$/gm)].map((m) => Number(m[1]));
      assert.equal(times.length, 2, r.stdout);
      assert.ok(times[0] >= 25, `the awaited statement took ${times[0]} ms`);
      const bad = await run(k, "%time const broken: number = 'x';");
      assert.equal(bad.error?.line, 1);
      assert.match(bad.error!.message, /TS2322/);
      const whole = await run(k, "%%time\nconst a1 = 1;\na1 + 1");
      assert.equal(text(whole), "2");
      assert.match(whole.stdout, /^Wall time: [\d.]+ m?s$/m);
    } finally {
      await k.shutdown();
    }
  });
});
