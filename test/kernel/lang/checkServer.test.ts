// Kernels started with the language server's check socket check their cells there (its TypeScript already warm), apart from each other, and check on a thread of their own when it is gone.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, test } from "node:test";
import { once } from "node:events";
import { KernelClient } from "../../../kernel/client.js";
import { launchLanguageServer } from "../../../kernel/lang/launch.js";
import { cellRunner, traceMarks } from "../../support/kernelCells.js";

const dirs: string[] = [];
const children: ChildProcess[] = [];
after(() => {
  children.forEach((c) => c.kill());
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

/** A language server listening on a check socket, with the notebook `nb` open (its IntelliSense warm). */
async function languageServer(dir: string, nb: string) {
  const socket = join(dir, "check.sock");
  const server = launchLanguageServer(socket);
  children.push(server.child);
  await server.open(nb, [{ id: "c1", text: "const opened = 1;" }]);
  return { socket, child: server.child };
}

/** A kernel in error mode for `nb`, its checks sent to `socket`, its timing marks traced. */
async function kernel(nb: string, socket: string) {
  const trace = join(dirname(nb), `trace-${Math.random()}.txt`);
  const client = await KernelClient.start({ notebookPath: nb, typeCheck: "error", env: { MLNB_CHECK_SOCKET: socket, MLNB_TRACE: trace, MLNB_STORE: join(dirname(nb), ".mlnb") } });
  const run = cellRunner(client);
  const marks = () => traceMarks(trace, client.pid);
  return { client, run, marks };
}

const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), "mlnb-checksock-"));
  dirs.push(d);
  return d;
};

test("a kernel checks on the language server: no thread or TypeScript of its own, earlier cells known, type errors stop cells", async () => {
  const dir = fresh();
  const nb = join(dir, "a.mlnb");
  const { socket } = await languageServer(dir, nb);
  const k = await kernel(nb, socket);
  assert.equal((await k.run("const a = 1;")).status, "ok");
  const stopped = await k.run("const b: string = a;");
  assert.equal(stopped.status, "error");
  assert.match(stopped.error!, /TS2322: Type 'number' is not assignable to type 'string'/);
  assert.equal((await k.run("const c: number = a + 1;\nc")).result, "2");
  const marks = k.marks();
  assert.ok(marks.includes("kernel: connecting to the language server's checker"), marks.join(", "));
  assert.ok(!marks.includes("kernel: checker thread starting"), `the kernel started a thread of its own: ${marks.join(", ")}`);
  assert.ok(!marks.includes("typescript loaded"), "the kernel loaded TypeScript itself");
  assert.equal(((await k.client.command("loaded")) as { checker: string }).checker, "language server");
  await k.client.shutdown();
});

test("two kernels in one folder check on one language server without seeing each other's cells", async () => {
  const dir = fresh();
  const [nbA, nbB] = [join(dir, "a.mlnb"), join(dir, "b.mlnb")];
  const { socket } = await languageServer(dir, nbA);
  const a = await kernel(nbA, socket);
  const b = await kernel(nbB, socket);
  assert.equal((await a.run("const x = 1;")).status, "ok");
  assert.equal((await b.run('const x = "one";')).status, "ok");
  const inA = await a.run("const y: string = x;");
  assert.equal(inA.status, "error");
  assert.match(inA.error!, /Type 'number' is not assignable to type 'string'/);
  assert.equal((await b.run("const y: string = x;\ny")).result, "'one'");
  await a.client.shutdown();
  await b.client.shutdown();
});

test("a kernel whose language server goes away checks on a thread of its own that knows the earlier cells", async () => {
  const dir = fresh();
  const nb = join(dir, "a.mlnb");
  const server = await languageServer(dir, nb);
  const k = await kernel(nb, server.socket);
  assert.equal((await k.run("const a = 1;\nfunction twice(n: number) { return 2 * n; }")).status, "ok");
  assert.equal((await k.run("const b = twice(a);\nb")).result, "2");
  server.child.kill("SIGKILL");
  await once(server.child, "exit");
  const stopped = await k.run("const s: string = b;");
  assert.equal(stopped.status, "error");
  assert.match(stopped.error!, /TS2322: Type 'number' is not assignable to type 'string'/, "b is known, with its type");
  assert.equal((await k.run("const t: number = twice(b) + a;\nt")).result, "5");
  assert.ok(k.marks().includes("typescript loaded"), "the thread that took over loaded TypeScript");
  assert.equal(((await k.client.command("loaded")) as { checker: string }).checker, "thread");
  await k.client.shutdown();
});

test("a kernel given a check socket no one listens on checks on its own thread", async () => {
  const dir = fresh();
  const k = await kernel(join(dir, "a.mlnb"), join(dir, "nobody.sock"));
  assert.equal((await k.run("const a = 1;")).status, "ok");
  const stopped = await k.run("const b: string = a;");
  assert.equal(stopped.status, "error");
  assert.match(stopped.error!, /TS2322/);
  assert.ok(k.marks().includes("kernel: checker thread starting"), k.marks().join(", "));
  await k.client.shutdown();
});
