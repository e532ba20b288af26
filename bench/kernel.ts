// Benchmark: mlnb's kernel (child process, JSON lines) against tslab's executor, start and cell round trip.
//
// Rows: start to "ready" and start to the first type-checked result (mlnb loads TypeScript in
// the background after "ready"), a trivial cell's round trip with type checking off and on, and
// tslab's figures on the same cells. tslab runs in-process for cells, as its own kernel calls
// its executor; its cold start (loading its TypeScript fork, creating the executor, first cell)
// is timed in a fresh process, `node out/bench/kernel.js tslab-start`, from spawn to result.
// A last table times the executor's steps in-process, to show where a cell's time goes.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import type * as TS from "typescript";
import { KernelClient } from "../kernel/client.js";
import type { Reply, TypeCheckMode } from "../kernel/protocol.js";

const STARTS = 10;
const TSLAB_STARTS = 5;
/** Starts timed to the first result, each for a checked and an unchecked first cell (~3 s each). */
const FIRST_RESULT_STARTS = 3;
const CELLS = 50;
/** Targets from issue 2. */
const READY_TARGET_MS = 400;
const UNCHECKED_TARGET_MS = 2;

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SELF = fileURLToPath(import.meta.url);

/** The part of tslab's executor this bench calls (its dist is untyped CommonJS for us). */
interface TslabExecutor {
  execute(src: string): Promise<boolean>;
  close(): void;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

/** A fresh cell each time, so no cache (ours or TypeScript's) can answer it. */
const cell = (tag: string, i: number) => `const ${tag}${i} = ${i}; ${tag}${i} + 1`;

/**
 * Create tslab's executor the way its kernel does (converter set + createExecutor), with cwd as
 * its root. Output it prints (results, diagnostics) is collected, not shown.
 */
function createTslab(rootDir: string, out: string[]): TslabExecutor {
  const require = createRequire(join(REPO, "package.json"));
  const { createConverter } = require("tslab/dist/converter.js");
  const { createExecutor } = require("tslab/dist/executor.js");
  let node: { close(): void } | undefined;
  const convs = {
    get node() {
      return (node ??= createConverter({ isJS: false, isBrowser: false }));
    },
    get browser(): never {
      throw new Error("bench: tslab's browser mode is not used");
    },
    close: () => node?.close(),
  };
  void convs.node; // tslab's startKernel warms the Node converter before the first cell
  const sink = (...args: unknown[]) => void out.push(args.map(String).join(" "));
  return createExecutor(rootDir, convs, { log: sink, error: sink }) as TslabExecutor;
}

/** Child mode: a cold tslab start (load, create, first cell); prints the in-process time as JSON. */
async function tslabStartChild(): Promise<void> {
  const t0 = performance.now();
  const out: string[] = [];
  const ex = createTslab(process.cwd(), out);
  const created = performance.now() - t0;
  const ok = await ex.execute(cell("s", 0));
  const total = performance.now() - t0;
  ex.close();
  process.stdout.write(JSON.stringify({ ok, out, created, total }) + "\n");
}

/** Spawn `node out/bench/kernel.js tslab-start` and time it from spawn to its line. */
function tslabColdStart(): Promise<{ spawnToResult: number; created: number; inProcess: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [SELF, "tslab-start"], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
      if (!stdout.includes("\n")) return;
      const spawnToResult = performance.now() - t0;
      const r = JSON.parse(stdout) as { ok: boolean; out: string[]; created: number; total: number };
      if (!r.ok || r.out.join("") !== "1") reject(new Error(`tslab's first cell failed: ${r.out.join("\n")}`));
      else resolve({ spawnToResult, created: r.created, inProcess: r.total });
    });
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("exit", (code) => code && reject(new Error(`tslab start exited with ${code}: ${stderr}`)));
  });
}

/** Run a cell on our kernel; returns the round trip and the kernel's own duration (ms). */
async function ours(client: KernelClient, code: string, typeCheck: TypeCheckMode, expect: string): Promise<{ rt: number; inKernel: number }> {
  let result: unknown;
  const errors: string[] = [];
  const t = performance.now();
  const r = await client.execute(code, { options: { typeCheck } }, (reply: Reply) => {
    if (reply.type === "result") result = reply.data["text/plain"];
    if (reply.type === "error") errors.push(reply.error.message);
  });
  const rt = performance.now() - t;
  if (r.status !== "ok" || result !== expect) throw new Error(`bench cell failed (${r.status}): ${code}\n${errors.join("\n")} result ${String(result)}`);
  return { rt, inKernel: r.durationMs };
}

interface Row {
  what: string;
  mlnb: number;
  tslab?: number;
  target?: string;
  verdict?: string;
}

/** Print the kernel table (medians) and the in-process breakdown. */
export async function run(): Promise<void> {
  const load0 = loadavg()[0]!;
  const dir = mkdtempSync(join(tmpdir(), "mlnb-bench-kernel-"));
  const notebookPath = join(dir, "bench.mlnb");
  try {
    // 1. Our kernel: spawn to "ready"; then, on other starts, to the first result.
    const ready: number[] = [];
    for (let i = 0; i < STARTS; i++) {
      const t0 = performance.now();
      const client = await KernelClient.start({ notebookPath, typeCheck: "error" });
      ready.push(performance.now() - t0);
      await client.shutdown(100); // it is busy loading TypeScript: kill it rather than wait
    }
    const firstChecked: number[] = [];
    const firstUnchecked: number[] = [];
    for (let i = 0; i < 2 * FIRST_RESULT_STARTS; i++) {
      const checkedFirst = i % 2 === 0;
      const t0 = performance.now();
      const client = await KernelClient.start({ notebookPath, typeCheck: "error" });
      await ours(client, "1 + 1", checkedFirst ? "error" : "off", "2");
      (checkedFirst ? firstChecked : firstUnchecked).push(performance.now() - t0);
      await client.shutdown(100);
    }

    // 2. Our kernel: trivial cells, warm (TypeScript loaded), off then error.
    const client = await KernelClient.start({ notebookPath, typeCheck: "error" });
    await ours(client, "1 + 1", "error", "2");
    for (let i = 0; i < 5; i++) await ours(client, cell("w", i), "error", String(i + 1));
    const off: { rt: number; inKernel: number }[] = [];
    const checked: { rt: number; inKernel: number }[] = [];
    for (let i = 0; i < CELLS; i++) off.push(await ours(client, cell("u", i), "off", String(i + 1)));
    for (let i = 0; i < CELLS; i++) checked.push(await ours(client, cell("c", i), "error", String(i + 1)));
    await client.shutdown();

    // 3. tslab: cold starts in fresh processes, then cells in-process.
    const tslabStarts: { spawnToResult: number; created: number; inProcess: number }[] = [];
    for (let i = 0; i < TSLAB_STARTS; i++) tslabStarts.push(await tslabColdStart());
    const out: string[] = [];
    const cwd = process.cwd();
    process.chdir(dir); // tslab's converter roots itself at the working directory, as in its kernel
    let tslab: TslabExecutor;
    try {
      tslab = createTslab(dir, out);
    } finally {
      process.chdir(cwd);
    }
    const tslabCells: number[] = [];
    const tslabRun = async (code: string, expect: string) => {
      out.length = 0;
      const t = performance.now();
      const ok = await tslab.execute(code);
      const took = performance.now() - t;
      if (!ok || out.join("") !== expect) throw new Error(`tslab cell failed: ${code}\n${out.join("\n")}`);
      return took;
    };
    await tslabRun("1 + 1", "2");
    for (let i = 0; i < 5; i++) await tslabRun(cell("w", i), String(i + 1));
    for (let i = 0; i < CELLS; i++) tslabCells.push(await tslabRun(cell("t", i), String(i + 1)));
    tslab.close();

    const load1 = loadavg()[0]!;
    const tslabStart = median(tslabStarts.map((s) => s.spawnToResult));
    const offRt = median(off.map((c) => c.rt));
    const checkedRt = median(checked.map((c) => c.rt));
    const tslabCell = median(tslabCells);
    const miss = (value: number, target: number) => (value <= target ? "meets" : `misses by ${ms(value - target)} ms (${(value / target).toFixed(1)}x)`);
    const rows: Row[] = [
      { what: `start to ready (median of ${STARTS}; tslab: spawn to first result, median of ${TSLAB_STARTS})`, mlnb: median(ready), tslab: tslabStart, target: `<= ${READY_TARGET_MS} ms`, verdict: miss(median(ready), READY_TARGET_MS) },
      { what: `start to first result, unchecked (median of ${firstUnchecked.length})`, mlnb: median(firstUnchecked), tslab: tslabStart },
      { what: `start to first type-checked result (median of ${firstChecked.length})`, mlnb: median(firstChecked), tslab: tslabStart },
      { what: `trivial cell, typeCheck off (median of ${CELLS}; tslab always checks)`, mlnb: offRt, tslab: tslabCell, target: `<= ${UNCHECKED_TARGET_MS} ms`, verdict: miss(offRt, UNCHECKED_TARGET_MS) },
      { what: `trivial cell, typeCheck error (median of ${CELLS})`, mlnb: checkedRt, tslab: tslabCell, target: `<= tslab / 2 = ${ms(tslabCell / 2)} ms`, verdict: miss(checkedRt, tslabCell / 2) },
      { what: "  of which inside the kernel, off (executor run)", mlnb: median(off.map((c) => c.inKernel)) },
      { what: "  of which inside the kernel, error (executor run)", mlnb: median(checked.map((c) => c.inKernel)) },
    ];
    console.log(`\n### Kernel: mlnb (child process) vs tslab ${tslabVersion()} (in-process executor) — load average ${load0.toFixed(1)} at start, ${load1.toFixed(1)} at end\n`);
    console.log("| measure | mlnb ms | tslab ms | tslab / mlnb | target | verdict |");
    console.log("|---|---:|---:|---:|---|---|");
    for (const r of rows) {
      const ratio = r.tslab === undefined ? "" : `${(r.tslab / r.mlnb).toFixed(1)}x`;
      console.log(`| ${r.what} | ${ms(r.mlnb)} | ${r.tslab === undefined ? "" : ms(r.tslab)} | ${ratio} | ${r.target ?? ""} | ${r.verdict ?? ""} |`);
    }
    const created = median(tslabStarts.map((s) => s.created));
    const inProc = median(tslabStarts.map((s) => s.inProcess));
    console.log(`\ntslab cold start, in its process: load + create executor ${ms(created)} ms, + first cell ${ms(inProc)} ms (the rest of the spawn-to-result time is Node's own start).`);

    await breakdown();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Time the executor's steps in-process on trivial cells: swc + acorn, type check, vm compile. */
async function breakdown(): Promise<void> {
  const { compileCell } = await import("../kernel/exec/transform.js");
  const { CellTypeChecker, declaredNames } = await import("../kernel/exec/typecheck.js");
  const tImport = performance.now();
  const mod = (await import("typescript")) as unknown as { default?: typeof TS };
  const ts = (mod.default ?? mod) as typeof TS;
  const importTs = performance.now() - tImport;
  const tChecker = performance.now();
  const checker = new CellTypeChecker(ts, REPO);
  checker.check("export {};", []);
  const firstCheck = performance.now() - tChecker;
  const steps: Record<string, number[]> = { "compileCell (swc strip + acorn + rewrite)": [], "declaredNames (TS parse)": [], "CellTypeChecker.check": [], "CellTypeChecker.commit": [], "vm.Script compile": [] };
  const time = (name: string, fn: () => unknown) => {
    const t = performance.now();
    const r = fn();
    steps[name]!.push(performance.now() - t);
    return r;
  };
  for (let i = 0; i < CELLS; i++) {
    const code = cell("b", i);
    const compiled = time("compileCell (swc strip + acorn + rewrite)", () => compileCell(code, `Cell[${i}]`)) as { script: string };
    const names = time("declaredNames (TS parse)", () => declaredNames(ts, code)) as string[];
    time("CellTypeChecker.check", () => checker.check(code, names));
    time("CellTypeChecker.commit", () => checker.commit(code));
    time("vm.Script compile", () => new vm.Script(compiled.script, { filename: `Cell[${i}]` }));
  }
  console.log(`\n#### Where a trivial cell's time goes (in-process, median of ${CELLS})\n`);
  console.log("| step | median ms |");
  console.log("|---|---:|");
  for (const [name, xs] of Object.entries(steps)) console.log(`| ${name} | ${ms(median(xs))} |`);
  console.log(`| once: import("typescript") | ${ms(importTs)} |`);
  console.log(`| once: language service + first check | ${ms(firstCheck)} |`);
}

function tslabVersion(): string {
  const require = createRequire(join(REPO, "package.json"));
  return (require("tslab/package.json") as { version: string }).version;
}

if (process.argv[2] === "tslab-start" && process.argv[1] === SELF) await tslabStartChild();
else if (import.meta.url === `file://${process.argv[1]}`) await run();
