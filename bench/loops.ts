// Benchmark: loop-heavy cells in the kernel against the same code in plain node, and how fast an endless loop stops.
//
// Each case's code runs (1) as a cell in a kernel (type checking off: only running is timed)
// and (2) as a plain CommonJS script in a fresh `node` process. Both time the code from inside
// with performance.now(), so kernel round trips and node start-up are not counted. Five runs
// each, median. Target (issue 10): cell <= 1.3x plain node. Then `while (true) {}` is
// interrupted 300 ms into the loop: the time from the interrupt to the cell's "done" (target < 1 s).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KernelClient } from "../kernel/client.js";

const RUNS = 5;

/** Code that sets `acc` (timed between the markers the harness adds); `setup` runs first, untimed (in the kernel: as an earlier cell). */
const CASES: { name: string; code: string; setup?: string }[] = [
  { name: "top-level loop, 1e7 additions", code: "let acc = 0;\nfor (let i = 0; i < 1e7; i++) acc += i;" },
  { name: "loop in a function, 1e7 additions", code: "function sum(n: number) { let s = 0; for (let i = 0; i < n; i++) s += i; return s; }\nlet acc = sum(1e7);" },
  {
    name: "Array.sort with a comparator, 1e6 numbers",
    code: "const xs = Array.from({ length: 1e6 }, (_, i) => (i * 7919) % 1000003);\nxs.sort((a, b) => a - b);\nlet acc = xs[500000];",
  },
  { name: "nested loops over an array, 4e6 steps", code: "const grid = Array.from({ length: 2000 }, (_, i) => i);\nlet acc = 0;\nfor (const a of grid) { for (let j = 0; j < 2000; j++) acc += a ^ j; }" },
  { name: "top-level loop calling Math.sqrt, 1e7", code: "let acc = 0;\nfor (let i = 0; i < 1e7; i++) acc += Math.sqrt(i);" },
  {
    name: "loop over an array from an earlier cell, Math.floor, 1e6",
    setup: "const data = Array.from({ length: 1e6 }, (_, i) => i * 0.5);",
    code: "let acc = 0;\nfor (let i = 0; i < data.length; i++) acc += Math.floor(data[i]);",
  },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const timed = (code: string, tag: string) => `const __t0_${tag} = performance.now();\n${code}\nconsole.log("ms=" + (performance.now() - __t0_${tag}) + " acc=" + acc);`;

async function inKernel(kernel: KernelClient, code: string): Promise<{ ms: number; acc: string }> {
  let out = "";
  const r = await kernel.execute(code, { options: { typeCheck: "off" } }, (reply) => {
    if (reply.type === "stream") out += reply.text;
    if (reply.type === "error") out += reply.error.message;
  });
  const m = /ms=([\d.]+) acc=(\S+)/.exec(out);
  if (r.status !== "ok" || !m) throw new Error(`bench loops: cell failed: ${out}`);
  return { ms: Number(m[1]), acc: m[2]! };
}

function inNode(dir: string, code: string, setup = ""): { ms: number; acc: string } {
  // The cell's TypeScript annotations are few and simple: strip them for plain node.
  const js = code.replace(/\(n: number\)/g, "(n)");
  const file = join(dir, "plain.cjs");
  writeFileSync(file, `${setup}\n${timed(js, "p")}`);
  const out = execFileSync(process.execPath, [file], { encoding: "utf8" });
  const m = /ms=([\d.]+) acc=(\S+)/.exec(out)!;
  return { ms: Number(m[1]), acc: m[2]! };
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "mlnb-bench-loops-"));
  const kernel = await KernelClient.start({ notebookPath: join(dir, "loops.mlnb"), typeCheck: "off" });
  try {
    console.log("\n| loop | cell ms (median of 5) | plain node ms | cell / node | target <= 1.3x |");
    console.log("|---|---:|---:|---:|---|");
    for (const [i, c] of CASES.entries()) {
      const cell: number[] = [];
      const node: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        if (c.setup) await kernel.execute(c.setup, { options: { typeCheck: "off" } });
        const k = await inKernel(kernel, timed(c.code, `c${i}_${r}`));
        const n = inNode(dir, c.code, c.setup);
        if (k.acc !== n.acc) throw new Error(`bench loops: ${c.name}: the cell computed ${k.acc}, node ${n.acc}`);
        cell.push(k.ms);
        node.push(n.ms);
      }
      const ratio = median(cell) / median(node);
      console.log(`| ${c.name} | ${median(cell).toFixed(1)} | ${median(node).toFixed(1)} | ${ratio.toFixed(2)} | ${ratio <= 1.3 ? "met" : "missed"} |`);
    }
    const stops: number[] = [];
    for (let r = 0; r < 3; r++) {
      let interruptedAt = 0;
      const onReply = (reply: { type: string; text?: string }) => {
        if (reply.type === "stream" && reply.text?.includes("spinning")) {
          kernel.off("reply", onReply);
          setTimeout(() => ((interruptedAt = performance.now()), kernel.interrupt()), 300);
        }
      };
      kernel.on("reply", onReply);
      const result = await kernel.execute('console.log("spinning");\nwhile (true) {}', { options: { typeCheck: "off" } });
      if (result.status !== "interrupted") throw new Error(`bench loops: while (true) ended ${result.status}`);
      stops.push(performance.now() - interruptedAt);
    }
    console.log(`\n\`while (true) {}\` stopped ${median(stops).toFixed(0)} ms after the interrupt (median of 3; target < 1000 ms).`);
  } finally {
    await kernel.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
