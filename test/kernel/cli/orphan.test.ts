// `mlnb run` killed while a cell loops: its kernel does not live on as an orphan.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, test } from "node:test";
import { serializeNotebook } from "../../../kernel/notebook/format.js";

const BIN = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..", "bin", "mlnb.js");
const root = mkdtempSync(join(tmpdir(), "mlnb-orphan-"));
after(() => rmSync(root, { recursive: true, force: true }));

const code = (source: string) => ({ kind: "code" as const, language: "typescript", source, outputs: [], executionCount: null, metadata: {} });
const notebook = join(root, "spin.mlnb");
writeFileSync(notebook, serializeNotebook({ cells: [code("const before = 1;"), code('process.stdout.write("spinning\\n");\nwhile (true) {}')], metadata: {} }));

/** Pids of a process's children (Linux /proc). */
function childrenOf(pid: number): number[] {
  const tasks = `/proc/${pid}/task`;
  if (!existsSync(tasks)) return [];
  return readdirSync(tasks).flatMap((t) => readFileSync(`${tasks}/${t}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number));
}

/** True while the process exists and is not a zombie waiting to be reaped. */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/** Start `mlnb run` on the spinning notebook; resolves with the CLI and its kernel's pid once the loop runs. */
async function startSpinning(): Promise<{ cli: ChildProcess; kernelPid: number }> {
  const cli = spawn(process.execPath, [BIN, "run", notebook, "--type-check", "off", "--no-write"], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  await new Promise<void>((resolve, reject) => {
    cli.stdout!.on("data", (d) => {
      out += d;
      if (out.includes("spinning")) resolve();
    });
    cli.on("exit", (c) => reject(new Error(`mlnb run exited (${c}) before the loop: ${out}`)));
  });
  const kids = childrenOf(cli.pid!);
  assert.equal(kids.length, 1, `one kernel process under mlnb run, found ${kids.join(", ")}`);
  await new Promise((r) => setTimeout(r, 300)); // well inside the loop
  return { cli, kernelPid: kids[0]! };
}

async function goneWithin(pid: number, ms: number): Promise<number> {
  const t0 = performance.now();
  while (running(pid) && performance.now() - t0 < ms + 500) await new Promise((r) => setTimeout(r, 25));
  return running(pid) ? Infinity : performance.now() - t0;
}

for (const signal of ["SIGTERM", "SIGKILL"] as const) {
  test(`the kernel of mlnb run killed with ${signal} while a cell loops is gone within 2 s`, async () => {
    const { cli, kernelPid } = await startSpinning();
    assert.ok(running(kernelPid));
    const exited = new Promise((r) => cli.once("exit", r));
    cli.kill(signal);
    await exited;
    const took = await goneWithin(kernelPid, 2000);
    if (took === Infinity) process.kill(kernelPid, "SIGKILL");
    assert.ok(took <= 2000, `kernel ${kernelPid} still running ${took === Infinity ? "2.5 s" : `${took.toFixed(0)} ms`} after mlnb run got ${signal}`);
  });
}

// A catastrophic regex runs inside V8's regex engine, where no loop check of the cell reaches it:
// the interrupt flag is set but nothing reads it until the match ends (minutes for 30 a's).
const stuck = join(root, "regex.mlnb");
writeFileSync(stuck, serializeNotebook({ cells: [code('process.stdout.write("matching\\n");\n/^(a+)+$/.test("a".repeat(30) + "b");')], metadata: {} }));

test("a first Ctrl-C leaves mlnb run waiting on a cell the interrupt cannot stop, a second Ctrl-C ends the run and its kernel", async () => {
  // As a terminal does: Ctrl-C signals the whole foreground process group, the CLI and its kernel.
  const cli = spawn(process.execPath, [BIN, "run", stuck, "--type-check", "off", "--no-write"], { stdio: ["ignore", "pipe", "pipe"], detached: true });
  let out = "";
  let err = "";
  cli.stderr!.on("data", (d) => (err += d));
  const exited = new Promise<number | null>((r) => cli.once("exit", (c) => r(c)));
  await new Promise<void>((resolve, reject) => {
    cli.stdout!.on("data", (d) => {
      out += d;
      if (out.includes("matching")) resolve();
    });
    void exited.then((c) => reject(new Error(`mlnb run exited (${c}) before the regex: ${out}${err}`)));
  });
  const [kernelPid] = childrenOf(cli.pid!);
  assert.ok(kernelPid, "mlnb run has a kernel process");
  try {
    process.kill(-cli.pid!, "SIGINT");
    await new Promise((r) => setTimeout(r, 1500));
    assert.match(err, /interrupting the running cell \(Ctrl-C again to stop the kernel\)/);
    assert.equal(cli.exitCode, null, "the first Ctrl-C does not end mlnb run");
    assert.ok(running(kernelPid), "nor the kernel, which is still in the regex");

    process.kill(-cli.pid!, "SIGINT");
    assert.equal(await exited, 130, `mlnb run ends with 130 on the second Ctrl-C: ${err}`);
    assert.match(err, /second Ctrl-C: stopping the kernel/);
    const took = await goneWithin(kernelPid, 2000);
    assert.ok(took <= 2000, `kernel ${kernelPid} still running ${took === Infinity ? "2.5 s" : `${took.toFixed(0)} ms`} after the second Ctrl-C`);
  } finally {
    if (running(kernelPid)) process.kill(kernelPid, "SIGKILL");
    if (cli.exitCode === null) cli.kill("SIGKILL");
  }
});
