// Benchmark: mlnb's kernel (child process, JSON lines) against tslab's executor, start and cell round trip.
//
// Rows: start to "ready", start to the first result (type checking off, warn: checked on the
// checker thread while the cell runs, error: the result waits for the check; targets from issue
// 11: 0.5 s unchecked, 1.2 s type-checked; TypeScript loads on the checker thread after "ready"), a trivial cell's round trip with type checking off and on, and
// tslab's figures on the same cells. tslab runs in-process for cells, as its own kernel calls
// its executor; its cold start (loading its TypeScript fork, creating the executor, first cell)
// is timed in a fresh process, `node out/bench/kernel.js tslab-start`, from spawn to result.
// A last table times the executor's steps in-process, to show where a cell's time goes.
// The rows run with no checker daemon (kernel/exec/checkDaemonPlace.ts) but one: a row of fresh
// kernels checking on a daemon an earlier kernel started, in a folder of its own, stopped after.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import type * as TS from "typescript";
import { KernelClient } from "../kernel/client.js";
import { daemonStarts, keepCheckerCaches, ours, processCpuMs } from "./kernelStarts.js";
import { launchLanguageServer } from "../kernel/lang/launch.js";

const STARTS = 10;
const TSLAB_STARTS = 5;
/** Starts timed to the first result, for each kind of first cell (~3 s each). */
// A user's daemon would make every row the daemon row: only daemonStarts turns one on.
process.env.MLNB_CHECK_DAEMON = "off";
const FIRST_RESULT_STARTS = 3;
const CELLS = 50;
/** Targets from issue 2. */
const READY_TARGET_MS = 400;
const UNCHECKED_TARGET_MS = 2;
/** Targets from issue 11: a fresh kernel's first trivial result, and its first type-checked one (start to the result reply). */
const FIRST_RESULT_TARGET_MS = 500;
const FIRST_CHECKED_TARGET_MS = 1200;

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

const ownCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

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
  const cpu = process.cpuUsage();
  process.stdout.write(JSON.stringify({ ok, out, created, total, cpu: (cpu.user + cpu.system) / 1000 }) + "\n");
}

/** Spawn `node out/bench/kernel.js tslab-start` and time it from spawn to its line. */
function tslabColdStart(): Promise<{ spawnToResult: number; created: number; inProcess: number; cpu: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [SELF, "tslab-start"], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
      if (!stdout.includes("\n")) return;
      const spawnToResult = performance.now() - t0;
      const r = JSON.parse(stdout) as { ok: boolean; out: string[]; created: number; total: number; cpu: number };
      if (!r.ok || r.out.join("") !== "1") reject(new Error(`tslab's first cell failed: ${r.out.join("\n")}`));
      else resolve({ spawnToResult, created: r.created, inProcess: r.total, cpu: r.cpu });
    });
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("exit", (code) => code && reject(new Error(`tslab start exited with ${code}: ${stderr}`)));
  });
}

interface Row {
  what: string;
  mlnb: number;
  tslab?: number;
  mlnbCpu?: number;
  tslabCpu?: number;
  target?: string;
  verdict?: string;
}

const medianOrUndef = (xs: (number | undefined)[]) => (xs.some((x) => x === undefined) ? undefined : median(xs as number[]));

/** Our kernel: spawn to "ready" (killed right after), then other starts timed to their first result. */
async function ourStarts(notebookPath: string) {
  const ready: number[] = [];
  const readyCpu: (number | undefined)[] = [];
  for (let i = 0; i < STARTS; i++) {
    const t0 = performance.now();
    const client = await KernelClient.start({ notebookPath, typeCheck: "error" });
    ready.push(performance.now() - t0);
    readyCpu.push(processCpuMs(client.pid));
    await client.shutdown(100); // it is busy loading TypeScript: kill it rather than wait
  }
  // "error": a checked first cell; "off": an unchecked first cell in a checking kernel;
  // "offKernel": a kernel started with typeCheck off (the mlnb.typeCheck setting); "warn": the
  // default, checked while it runs (its result does not wait for the check; its warnings do).
  const kinds = ["error", "off", "offKernel", "warn"] as const;
  const first = { error: [] as number[], off: [] as number[], offKernel: [] as number[], warn: [] as number[] };
  const firstCpu = { error: [] as (number | undefined)[], off: [] as (number | undefined)[], offKernel: [] as (number | undefined)[], warn: [] as (number | undefined)[] };
  for (let i = 0; i < kinds.length * FIRST_RESULT_STARTS; i++) {
    const kind = kinds[i % kinds.length]!;
    const t0 = performance.now();
    const client = await KernelClient.start({ notebookPath, typeCheck: kind === "offKernel" ? "off" : kind === "warn" ? "warn" : "error" });
    const { resultAt } = await ours(client, "1 + 1", kind === "error" ? "error" : kind === "warn" ? "warn" : "off", "2");
    first[kind].push(resultAt - t0);
    firstCpu[kind].push(processCpuMs(client.pid));
    await client.shutdown(100);
  }
  // In VS Code: the notebook's language server is open (started with the notebook, its TypeScript
  // warm) and serves the kernels' checks on its socket; each start is still a fresh kernel process.
  const server = launchLanguageServer(join(dirname(notebookPath), "check.sock"));
  const vscode: number[] = [];
  const vscodeCpu: (number | undefined)[] = [];
  try {
    await server.open(notebookPath, [{ id: "c1", text: "const opened = 1;" }]);
    for (let i = 0; i < FIRST_RESULT_STARTS; i++) {
      const t0 = performance.now();
      const client = await KernelClient.start({ notebookPath, typeCheck: "error", env: { MLNB_CHECK_SOCKET: join(dirname(notebookPath), "check.sock") } });
      // A cell no earlier run checked: the persistent check cache cannot answer it.
      const { resultAt } = await ours(client, `${i} + 1 + 0 * ${Date.now()}`, "error", String(i + 1));
      vscode.push(resultAt - t0);
      vscodeCpu.push(processCpuMs(client.pid));
      await client.shutdown(100);
    }
  } finally {
    server.close();
  }
  const { daemon, daemonCpu } = await daemonStarts(notebookPath, FIRST_RESULT_STARTS);
  return { ready, readyCpu, first, firstCpu, vscode, vscodeCpu, daemon, daemonCpu };
}

/** Our kernel, warm (TypeScript loaded): CELLS trivial cells unchecked, then CELLS checked. */
async function ourCells(notebookPath: string) {
  const client = await KernelClient.start({ notebookPath, typeCheck: "error" });
  await ours(client, "1 + 1", "error", "2");
  for (let i = 0; i < 5; i++) await ours(client, cell("w", i), "error", String(i + 1));
  const result = {} as Record<"off" | "error", { rt: number[]; inKernel: number[]; cpu?: number }>;
  for (const mode of ["off", "error"] as const) {
    const rt: number[] = [];
    const inKernel: number[] = [];
    const cpu0 = processCpuMs(client.pid);
    for (let i = 0; i < CELLS; i++) {
      const r = await ours(client, cell(mode === "off" ? "u" : "c", i), mode, String(i + 1));
      rt.push(r.rt);
      inKernel.push(r.inKernel);
    }
    const cpu1 = processCpuMs(client.pid);
    result[mode] = { rt, inKernel, cpu: cpu0 === undefined || cpu1 === undefined ? undefined : (cpu1 - cpu0) / CELLS };
  }
  await client.shutdown();
  return result;
}

/** tslab: cold starts in fresh processes, then the same trivial cells in-process. */
async function tslabFigures(dir: string) {
  const starts: Awaited<ReturnType<typeof tslabColdStart>>[] = [];
  for (let i = 0; i < TSLAB_STARTS; i++) starts.push(await tslabColdStart());
  const out: string[] = [];
  const cwd = process.cwd();
  process.chdir(dir); // tslab's converter roots itself at the working directory, as in its kernel
  let tslab: TslabExecutor;
  try {
    tslab = createTslab(dir, out);
  } finally {
    process.chdir(cwd);
  }
  const runCell = async (code: string, expect: string) => {
    out.length = 0;
    const t = performance.now();
    const ok = await tslab.execute(code);
    const took = performance.now() - t;
    if (!ok || out.join("") !== expect) throw new Error(`tslab cell failed: ${code}\n${out.join("\n")}`);
    return took;
  };
  await runCell("1 + 1", "2");
  for (let i = 0; i < 5; i++) await runCell(cell("w", i), String(i + 1));
  const cells: number[] = [];
  const cpu0 = ownCpuMs();
  for (let i = 0; i < CELLS; i++) cells.push(await runCell(cell("t", i), String(i + 1)));
  const cellCpu = (ownCpuMs() - cpu0) / CELLS;
  tslab.close();
  return { starts, cells, cellCpu };
}

/** Print the kernel table (medians) and the in-process breakdown. */
export async function run(): Promise<void> {
  const load0 = loadavg()[0]!;
  const dir = mkdtempSync(join(tmpdir(), "mlnb-bench-kernel-"));
  const notebookPath = join(dir, "bench.mlnb");
  try {
    await keepCheckerCaches(notebookPath);
    const starts = await ourStarts(notebookPath);
    const cells = await ourCells(notebookPath);
    const tslab = await tslabFigures(dir);
    const load1 = loadavg()[0]!;

    const tslabStart = median(tslab.starts.map((s) => s.spawnToResult));
    const tslabStartCpu = median(tslab.starts.map((s) => s.cpu));
    const tslabCell = median(tslab.cells);
    const offRt = median(cells.off.rt);
    const checkedRt = median(cells.error.rt);
    const readyMs = median(starts.ready);
    const miss = (value: number, target: number) => (value <= target ? "meets" : `misses by ${ms(value - target)} ms (${(value / target).toFixed(1)}x the target)`);
    const rows: Row[] = [
      { what: `start to ready (median of ${STARTS}); tslab: spawn to first result (median of ${TSLAB_STARTS})`, mlnb: readyMs, tslab: tslabStart, mlnbCpu: medianOrUndef(starts.readyCpu), tslabCpu: tslabStartCpu, target: `<= ${READY_TARGET_MS} ms`, verdict: miss(readyMs, READY_TARGET_MS) },
      { what: `start to first result, kernel typeCheck off (median of ${FIRST_RESULT_STARTS})`, mlnb: median(starts.first.offKernel), tslab: tslabStart, mlnbCpu: medianOrUndef(starts.firstCpu.offKernel), tslabCpu: tslabStartCpu, target: `<= ${FIRST_RESULT_TARGET_MS} ms`, verdict: miss(median(starts.first.offKernel), FIRST_RESULT_TARGET_MS) },
      { what: `start to first result, kernel checking, cell typeCheck off (median of ${FIRST_RESULT_STARTS})`, mlnb: median(starts.first.off), tslab: tslabStart, mlnbCpu: medianOrUndef(starts.firstCpu.off), tslabCpu: tslabStartCpu, target: `<= ${FIRST_RESULT_TARGET_MS} ms`, verdict: miss(median(starts.first.off), FIRST_RESULT_TARGET_MS) },
      { what: `start to first result, typeCheck warn (the default; checked on its thread meanwhile) (median of ${FIRST_RESULT_STARTS})`, mlnb: median(starts.first.warn), tslab: tslabStart, mlnbCpu: medianOrUndef(starts.firstCpu.warn), tslabCpu: tslabStartCpu, target: `<= ${FIRST_RESULT_TARGET_MS} ms`, verdict: miss(median(starts.first.warn), FIRST_RESULT_TARGET_MS) },
      { what: `start to first type-checked result, typeCheck error, kernel alone, no checker daemon alive (its own checker thread; under Jupyter the front end hosts it: bench jupyter) (median of ${FIRST_RESULT_STARTS})`, mlnb: median(starts.first.error), tslab: tslabStart, mlnbCpu: medianOrUndef(starts.firstCpu.error), tslabCpu: tslabStartCpu, target: `<= ${FIRST_CHECKED_TARGET_MS} ms`, verdict: miss(median(starts.first.error), FIRST_CHECKED_TARGET_MS) },
      { what: `start to first type-checked result, typeCheck error, in VS Code (the notebook's language server, open, checks the kernel's cells) (median of ${FIRST_RESULT_STARTS})`, mlnb: median(starts.vscode), tslab: tslabStart, mlnbCpu: medianOrUndef(starts.vscodeCpu), tslabCpu: tslabStartCpu, target: `<= ${FIRST_CHECKED_TARGET_MS} ms`, verdict: miss(median(starts.vscode), FIRST_CHECKED_TARGET_MS) },
      { what: `start to first type-checked result, typeCheck error, kernel alone with the checker daemon warm (started by an earlier kernel; CLI scripts, Jupyter restarts) (median of ${FIRST_RESULT_STARTS})`, mlnb: median(starts.daemon), tslab: tslabStart, mlnbCpu: medianOrUndef(starts.daemonCpu), tslabCpu: tslabStartCpu, target: `<= ${FIRST_CHECKED_TARGET_MS} ms`, verdict: miss(median(starts.daemon), FIRST_CHECKED_TARGET_MS) },
      { what: `trivial cell round trip, typeCheck off (median of ${CELLS}); tslab always checks`, mlnb: offRt, tslab: tslabCell, mlnbCpu: cells.off.cpu, tslabCpu: tslab.cellCpu, target: `<= ${UNCHECKED_TARGET_MS} ms`, verdict: miss(offRt, UNCHECKED_TARGET_MS) },
      { what: `trivial cell round trip, typeCheck error (median of ${CELLS})`, mlnb: checkedRt, tslab: tslabCell, mlnbCpu: cells.error.cpu, tslabCpu: tslab.cellCpu, target: `<= tslab / 2 = ${ms(tslabCell / 2)} ms`, verdict: miss(checkedRt, tslabCell / 2) },
      { what: "  of it inside the kernel (session + executor), off", mlnb: median(cells.off.inKernel) },
      { what: "  of it inside the kernel (session + executor), error", mlnb: median(cells.error.inKernel) },
    ];
    console.log(`\n### Kernel: mlnb (child process) vs tslab ${tslabVersion()} (its executor in-process) — load average ${load0.toFixed(1)} at start, ${load1.toFixed(1)} at end\n`);
    console.log("| measure | mlnb ms | tslab ms | tslab / mlnb | mlnb CPU ms | tslab CPU ms | target | verdict |");
    console.log("|---|---:|---:|---:|---:|---:|---|---|");
    const opt = (x: number | undefined) => (x === undefined ? "" : ms(x));
    for (const r of rows) {
      const ratio = r.tslab === undefined ? "" : `${(r.tslab / r.mlnb).toFixed(1)}x`;
      console.log(`| ${r.what} | ${ms(r.mlnb)} | ${opt(r.tslab)} | ${ratio} | ${opt(r.mlnbCpu)} | ${opt(r.tslabCpu)} | ${r.target ?? ""} | ${r.verdict ?? ""} |`);
    }
    const created = median(tslab.starts.map((s) => s.created));
    const inProc = median(tslab.starts.map((s) => s.inProcess));
    console.log(
      `\nCPU ms: all threads of the process (kernel from /proc; start rows since spawn, cell rows the mean a cell; tslab's cells are this process's CPU). ` +
        `tslab's cold start inside its process: load + create executor ${ms(created)} ms, first cell done at ${ms(inProc)} ms; the rest is Node's own start.`,
    );
    await breakdown();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Time the executor's steps in-process on trivial cells: swc + acorn, type check, vm compile. */
async function breakdown(): Promise<void> {
  const { compileCell } = await import("../kernel/exec/transform.js");
  const { CellTypeChecker, declaredNames } = await import("../kernel/exec/typecheck.js");
  const { typescript } = await import("../kernel/lang/typescript.js");
  const tImport = performance.now();
  const ts: typeof TS = typescript(); // as the kernel loads it: through V8's code cache unless MLNB_CODE_CACHE=off
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
  console.log(`| once: load TypeScript (the kernel's loader; code cache ${process.env.MLNB_CODE_CACHE === "off" ? "off" : "on"}) | ${ms(importTs)} |`);
  console.log(`| once: language service + first check | ${ms(firstCheck)} |`);
}

function tslabVersion(): string {
  const require = createRequire(join(REPO, "package.json"));
  return (require("tslab/package.json") as { version: string }).version;
}

if (process.argv[2] === "tslab-start" && process.argv[1] === SELF) await tslabStartChild();
else if (import.meta.url === `file://${process.argv[1]}`) await run();
