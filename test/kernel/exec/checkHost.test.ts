// A kernel whose checker the starting process hosts (Jupyter's front end does) checks its cells there, leaves no socket folder once connected, and checks on a thread of its own when the host goes.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, test } from "node:test";
import { KernelClient } from "../../../kernel/client.js";
import { hostChecker, wantsChecker } from "../../../kernel/exec/checkHost.js";
import { cellRunner, traceMarks, until } from "../../support/kernelCells.js";

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function fresh(): string {
  const d = mkdtempSync(join(tmpdir(), "mlnb-checkhost-"));
  dirs.push(d);
  return d;
}

/** A kernel in error mode whose checker `host` serves; `run` gives a cell's status, error text and result. */
async function kernel(dir: string, host: NonNullable<ReturnType<typeof hostChecker>>) {
  const trace = join(dir, "trace.txt");
  const client = await KernelClient.start({ notebookPath: join(dir, "nb.mlnb"), typeCheck: "error", env: { MLNB_STORE: join(dir, ".mlnb"), MLNB_TRACE: trace }, checkHost: host });
  const marks = () => traceMarks(trace, client.pid);
  const run = cellRunner(client);
  const where = async () => ((await client.command("loaded")) as { checker: string | null }).checker;
  return { client, run, where, marks };
}

test("the kernel checks on the starting process's thread: earlier cells known, type errors stop cells; no socket folder is left once it connected", async () => {
  const dir = fresh();
  const host = hostChecker(dir)!;
  const socket = host.env.MLNB_CHECK_SOCKET!;
  const k = await kernel(dir, host);
  assert.equal((await k.run("const a = 1;")).status, "ok");
  assert.equal(await k.where(), "starting process");
  if (process.platform !== "win32") assert.ok(!existsSync(dirname(socket)), "the socket's folder is removed once the kernel is connected");
  const stopped = await k.run("const b: string = a;");
  assert.equal(stopped.status, "error");
  assert.match(stopped.error!, /TS2322: Type 'number' is not assignable to type 'string'/);
  assert.equal((await k.run("a + 41")).result, "42");
  await k.client.shutdown();
});

test("when the host goes mid-session, the kernel checks on a thread of its own, started by the next check, that knows the earlier cells", async () => {
  const dir = fresh();
  const host = hostChecker(dir)!;
  const k = await kernel(dir, host);
  assert.equal((await k.run("const word = 'seven';")).status, "ok");
  // Answered in order: once this answer is in, the cell's commit was answered too, and nothing is owed.
  assert.equal(await k.where(), "starting process");
  host.close();
  // Nothing was owed: no thread starts (nor TypeScript loads) until a check needs one.
  await until("the kernel to notice its host is gone", () => k.marks().some((m) => m.startsWith("kernel: the remote checker is gone")));
  assert.ok(k.marks().some((m) => m.endsWith("a thread will check")), k.marks().join(", "));
  assert.equal(await k.where(), null);
  const stopped = await k.run("const n: number = word;");
  assert.equal(stopped.status, "error");
  assert.match(stopped.error!, /TS2322: Type 'string' is not assignable to type 'number'/);
  assert.equal(await k.where(), "thread");
  assert.equal((await k.run("word.length")).result, "5");
  await k.client.shutdown();
});

test("no checker is hosted for a kernel that will not check, will not warm up, or already has a check socket", () => {
  assert.equal(wantsChecker({}), true);
  assert.equal(wantsChecker({ MLNB_TYPECHECK: "off" }), false);
  assert.equal(wantsChecker({ MLNB_TYPECHECK_WARMUP: "off" }), false);
  assert.equal(wantsChecker({ MLNB_CHECK_SOCKET: "/somewhere/check.sock" }), false);
});
