// The checker thread starts first thing in a checking kernel's process, warms with no cell run, and is taken by the first check; kernels that will not check start none.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { KernelClient } from "../../../kernel/client.js";
import type { Reply, TypeCheckMode } from "../../../kernel/protocol.js";
import { traceMarks, until } from "../../support/kernelCells.js";

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A kernel for a notebook in a fresh folder, its timing marks written to a trace file. */
async function traced(typeCheck: TypeCheckMode, env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "mlnb-prestart-"));
  dirs.push(dir);
  const trace = join(dir, "trace.txt");
  const client = await KernelClient.start({ notebookPath: join(dir, "nb.mlnb"), typeCheck, env: { MLNB_STORE: join(dir, ".mlnb"), MLNB_TRACE: trace, ...env } });
  const marks = () => traceMarks(trace, client.pid);
  return { client, marks };
}

test("a checking kernel starts its checker thread before loading its own modules, and the thread warms with no cell run", async () => {
  const { client, marks } = await traced("error");
  const early = marks();
  const starting = early.indexOf("kernel: checker thread starting");
  assert.ok(starting >= 0, `no checker thread was started: ${early.join(", ")}`);
  assert.ok(starting < early.indexOf("kernel: modules loaded"), `the thread started after the kernel's modules loaded: ${early.join(", ")}`);
  await until("the checker thread's warm-up", () => marks().includes("checker: warm"));
  assert.ok(marks().includes("typescript loaded"));
  // The first check is the warm thread's: the error stops the cell, and a correct cell runs.
  const replies: Reply[] = [];
  const stopped = await client.execute('const n: number = "one";', { cellId: "a" }, (r) => replies.push(r));
  assert.equal(stopped.status, "error");
  assert.match(replies.map((r) => (r.type === "error" ? r.error.message : "")).join(""), /TS2322: Type 'string' is not assignable to type 'number'/);
  let result: unknown;
  await client.execute("const m: number = 2;\nm * 21", { cellId: "b" }, (r) => r.type === "result" && (result = r.data["text/plain"]));
  assert.equal(result, "42");
  assert.equal(marks().filter((m) => m === "kernel: checker thread starting").length, 1, "one checker thread, the one started first");
  await client.shutdown();
});

test("a kernel with type checks off, or started headless without warm-up, starts no checker thread", async () => {
  for (const [mode, env] of [["off", {}], ["warn", { MLNB_TYPECHECK_WARMUP: "off" }]] as const) {
    const { client, marks } = await traced(mode, env);
    let result: unknown;
    await client.execute("const k = 5;\nk + 1", { cellId: "a", options: { typeCheck: "off" } }, (r) => r.type === "result" && (result = r.data["text/plain"]));
    assert.equal(result, "6");
    assert.equal(((await client.command("loaded")) as { checkerThread: boolean }).checkerThread, false, `${mode} ${JSON.stringify(env)}`);
    assert.ok(!marks().includes("kernel: checker thread starting"), `${mode} ${JSON.stringify(env)}: ${marks().join(", ")}`);
    await client.shutdown();
  }
});
