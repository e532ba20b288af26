// The checker daemon: started by a kernel with none alive, then checking the next kernels' cells as their own thread would; one per build, gone when idle, replaced when killed.
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { daemonCommand } from "../../../kernel/cli/daemon.js";
import { KernelClient } from "../../../kernel/client.js";
import { daemonEnabled, daemonPid, daemonPlace, daemonWarmUps, startDaemon, stopDaemon, type DaemonPlace } from "../../../kernel/exec/checkDaemonPlace.js";
import { CellTypeChecker } from "../../../kernel/exec/typecheck.js";
import { typescript } from "../../../kernel/lang/typescript.js";
import { processAlive } from "../../../kernel/runtime/processAlive.js";
import { cellRunner, traceMarks, until } from "../../support/kernelCells.js";

const dirs: string[] = [];
const daemons: DaemonPlace[] = [];
after(() => {
  for (const place of daemons) stop(place);
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function fresh(prefix = "mlnb-daemon-"): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

const warm = (place: DaemonPlace) => daemonWarmUps(place) > 0;
const stop = stopDaemon;

/** The environment that turns the daemon on in a folder of this test's own. */
function daemonEnv(idleS = 60): Record<string, string> {
  const dir = join(fresh("mlnb-daemonsock-"), "d");
  return { MLNB_CHECK_DAEMON: "on", MLNB_CHECK_DAEMON_DIR: dir, MLNB_CHECK_DAEMON_IDLE_S: String(idleS) };
}

async function kernel(env: Record<string, string>) {
  const dir = fresh();
  const trace = join(dir, "trace.txt");
  const client = await KernelClient.start({ notebookPath: join(dir, "nb.mlnb"), typeCheck: "error", env: { ...env, MLNB_STORE: join(dir, ".mlnb"), MLNB_TRACE: trace } });
  const run = cellRunner(client);
  const where = async () => ((await client.command("loaded")) as { checker: string | null }).checker;
  return { client, run, where, marks: () => traceMarks(trace, client.pid), dir };
}

test("a kernel with no daemon checks on its thread and starts one; the next kernel's cells are checked by it, earlier cells known", async () => {
  const env = daemonEnv();
  const place = daemonPlace({ ...process.env, ...env })!;
  daemons.push(place);
  const first = await kernel(env);
  const stopped = await first.run("const n: number = 'x';");
  assert.equal(stopped.status, "error");
  assert.match(stopped.error!, /TS2322: Type 'string' is not assignable to type 'number'/);
  assert.equal(await first.where(), "thread");
  await first.client.shutdown();
  await until("the daemon to warm up", () => warm(place));
  assert.ok(existsSync(place.socket));

  const second = await kernel(env);
  assert.equal((await second.run("const word = 'seven';")).status, "ok");
  assert.equal(await second.where(), "checker daemon");
  const again = await second.run("const m: number = word;");
  assert.equal(again.status, "error");
  assert.match(again.error!, /TS2322: Type 'string' is not assignable to type 'number'/);
  assert.equal((await second.run("word.length")).result, "5");
  // Node's types come from the daemon's parsed libraries as they did from the thread's.
  const node = await second.run("import { readFileSync } from 'node:fs';\nconst t: number = readFileSync('x', 'utf8');");
  assert.match(node.error!, /TS2322: Type 'string' is not assignable to type 'number'/);
  await second.client.shutdown();
});

test("a daemon killed mid-session: the kernel checks on a thread that knows its cells and a new daemon starts; a killed daemon's stale socket: the next kernel checks on its thread and starts one", async () => {
  const env = daemonEnv();
  const place = daemonPlace({ ...process.env, ...env })!;
  daemons.push(place);
  startDaemon(place, fresh(), { ...process.env, ...env });
  await until("the daemon to warm up", () => warm(place));
  const k = await kernel(env);
  assert.equal((await k.run("const word = 'seven';")).status, "ok");
  assert.equal(await k.where(), "checker daemon");
  const killed = daemonPid(place)!;
  stop(place, "SIGKILL");
  await until("the kernel to notice", () => k.marks().some((m) => m.startsWith("kernel: the remote checker is gone")));
  const stopped = await k.run("const n: number = word;");
  assert.match(stopped.error!, /TS2322: Type 'string' is not assignable to type 'number'/);
  assert.equal(await k.where(), "thread");
  await until("the kernel that lost it to start a new daemon", () => daemonPid(place) !== killed && daemonWarmUps(place) === 2);
  await k.client.shutdown();

  // Killed with no kernel connected: its socket stays behind.
  const second = daemonPid(place)!;
  stop(place, "SIGKILL");
  await until("the daemon to die", () => !processAlive(second));
  assert.ok(existsSync(place.socket), "kill -9 leaves the socket behind");
  const next = await kernel(env);
  assert.match((await next.run("const s: string = 1;")).error!, /TS2322/);
  assert.equal(await next.where(), "thread");
  await until("a new daemon to take the lock and warm up", () => daemonPid(place) !== second && daemonWarmUps(place) === 3);
  await next.client.shutdown();
});

test("one daemon per build, nobody's child: a second one ends at once; an idle daemon ends and removes its socket and lock", async () => {
  const env = daemonEnv(2);
  const place = daemonPlace({ ...process.env, ...env })!;
  daemons.push(place);
  startDaemon(place, fresh(), { ...process.env, ...env });
  await until("the daemon to listen", () => existsSync(place.socket));
  const holder = daemonPid(place)!;
  if (process.platform === "linux") {
    // A daemon in the Unix sense: not this process's child (a process tree killed or counted does not include it).
    const ppid = Number(readFileSync(`/proc/${holder}/stat`, "utf8").replace(/^.*\) /, "").split(" ")[1]);
    assert.notEqual(ppid, process.pid);
  }
  startDaemon(place, fresh(), { ...process.env, ...env });
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(daemonPid(place), holder);
  assert.equal(readFileSync(place.log, "utf8").split("listening").length, 2, "only one daemon listened");
  await until("the idle daemon to end", () => !existsSync(place.socket) && !existsSync(place.lock), 60_000);
  assert.match(readFileSync(place.log, "utf8"), /ending: idle for 2 s/);
});

test("mlnb daemon: status says whether it runs; stop ends it and it removes its socket", async () => {
  const env = { ...process.env, ...daemonEnv() };
  const place = daemonPlace(env)!;
  daemons.push(place);
  const lines: string[] = [];
  const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(`err: ${l}`) };
  assert.equal(await daemonCommand([], io, env), 0);
  assert.match(lines.pop()!, /checker daemon: not running/);
  startDaemon(place, fresh(), env);
  await until("the daemon to warm up", () => warm(place));
  assert.equal(await daemonCommand(["status"], io, env), 0);
  assert.match(lines.pop()!, new RegExp(`checker daemon: running, pid ${daemonPid(place)}, warm`));
  assert.equal(await daemonCommand(["stop"], io, env), 0);
  assert.match(lines.pop()!, /checker daemon: stopped/);
  assert.ok(!existsSync(place.socket) && !existsSync(place.lock));
  assert.equal(await daemonCommand(["stop"], io, env), 0);
  assert.match(lines.pop()!, /checker daemon: not running/);
  assert.equal(await daemonCommand(["status"], io, { MLNB_CHECK_DAEMON: "off" }), 0);
  assert.match(lines.pop()!, /checker daemon: off/);
  assert.equal(await daemonCommand(["restart"], io, env), 2);
});

test("the daemon is off where it is turned off or CI is set, and refuses a folder others may enter", () => {
  assert.equal(daemonEnabled({}), process.platform !== "win32");
  assert.equal(daemonEnabled({ MLNB_CHECK_DAEMON: "off" }), false);
  assert.equal(daemonEnabled({ CI: "true" }), false);
  assert.equal(daemonEnabled({ CI: "true", MLNB_CHECK_DAEMON: "on" }), process.platform !== "win32");
  if (process.platform === "win32") return;
  const open = join(fresh(), "open");
  mkdirSync(open, { mode: 0o755 });
  chmodSync(open, 0o755);
  assert.equal(daemonPlace({ MLNB_CHECK_DAEMON: "on", MLNB_CHECK_DAEMON_DIR: open }), undefined);
  chmodSync(open, 0o700);
  assert.ok(daemonPlace({ MLNB_CHECK_DAEMON: "on", MLNB_CHECK_DAEMON_DIR: open })?.socket.startsWith(open));
});

test("a long-lived registry parses a package's declarations again once they changed on disk (a daemon outlives installs)", () => {
  const ts = typescript();
  const dir = fresh();
  const pkg = join(dir, "node_modules", "fakepkg");
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "fakepkg", types: "index.d.ts" }));
  writeFileSync(join(pkg, "index.d.ts"), "export declare const v: number;\n");
  const mode = ts.JSDocParsingMode.ParseForTypeErrors;
  const shared = { registry: ts.createDocumentRegistry(true, dir, mode), jsDocParsingMode: mode, longLived: true };
  const code = "import { v } from 'fakepkg';\nconst s: string = v;";
  const first = new CellTypeChecker(ts, dir, undefined, shared);
  assert.match(first.check(code, [])[0]?.message ?? "", /Type 'number' is not assignable to type 'string'/);
  writeFileSync(join(pkg, "index.d.ts"), "export declare const v: string;\n");
  const later = new Date(Date.now() + 5000);
  utimesSync(join(pkg, "index.d.ts"), later, later);
  const second = new CellTypeChecker(ts, dir, undefined, shared);
  assert.deepEqual(second.check(code, []), []);
  first.dispose();
  second.dispose();
});

test("a lock without a pid yet (another daemon is writing it) is left alone; one left empty for long is taken over", async () => {
  const env = { ...process.env, ...daemonEnv() };
  const place = daemonPlace(env)!;
  daemons.push(place);
  writeFileSync(place.lock, "");
  startDaemon(place, fresh(), env);
  await new Promise((r) => setTimeout(r, 2000));
  assert.ok(!existsSync(place.socket), "no daemon listens while the lock is fresh");
  assert.equal(readFileSync(place.lock, "utf8"), "", "the lock is untouched");
  const old = new Date(Date.now() - 60_000);
  utimesSync(place.lock, old, old);
  startDaemon(place, fresh(), env);
  await until("the daemon to take the lock and listen", () => existsSync(place.socket) && daemonPid(place) !== undefined);
});
