// The run store keeps itself: race-free first open by real processes, temp blobs swept, a .gitignore of its own.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, test } from "node:test";
import { serializeNotebook } from "../../../kernel/notebook/format.js";
import { openStore } from "../../../kernel/stages/store/index.js";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
const root = mkdtempSync(join(tmpdir(), "mlnb-keeping-"));
after(() => rmSync(root, { recursive: true, force: true }));

function exec(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => resolve({ code, out }));
  });
}

test("two mlnb run on a fresh store both succeed and both runs are recorded", async () => {
  const dir = join(root, "two");
  mkdirSync(dir);
  const code = (source: string) => ({ kind: "code" as const, language: "typescript", source, outputs: [], executionCount: null, metadata: {} });
  const nb = join(dir, "two.mlnb");
  writeFileSync(nb, serializeNotebook({ cells: [code("%%stage numbers\nconst numbers = [1, 2, 3];"), code("%%stage total --needs numbers\nconst total = numbers.reduce((a, b) => a + b, 0);")], metadata: {} }));
  const bin = join(REPO, "bin", "mlnb.js");
  const [a, b] = await Promise.all([exec([bin, "run", nb, "--type-check", "off", "--no-write", "--no-cache"]), exec([bin, "run", nb, "--type-check", "off", "--no-write", "--no-cache"])]);
  assert.equal(a.code, 0, a.out);
  assert.equal(b.code, 0, b.out);
  const store = openStore({ dir: join(dir, ".mlnb") });
  try {
    const runs = store.listRuns({ notebook: "two.mlnb" });
    assert.equal(runs.length, 2);
    assert.deepEqual(runs.map((r) => r.status), ["ok", "ok"]);
  } finally {
    store.close();
  }
});

test("six processes opening one fresh store at the same instant all succeed", async () => {
  const dir = join(root, "six");
  const storeModule = join(REPO, "out", "kernel", "stages", "store", "index.js");
  const at = Date.now() + 6000;
  const script = `const { openStore } = await import(${JSON.stringify(storeModule)});
while (Date.now() < ${at}) {}
const s = openStore({ dir: ${JSON.stringify(dir)} });
const id = s.beginRun({ notebook: "six.mlnb" });
s.endRun(id, "ok");
s.close();
console.log("run " + id);`;
  const results = await Promise.all(Array.from({ length: 6 }, () => exec(["--input-type=module", "-e", script])));
  for (const r of results) assert.equal(r.code, 0, r.out);
  const ids = results.map((r) => Number(/run (\d+)/.exec(r.out)![1])).sort((x, y) => x - y);
  assert.deepEqual(ids, [1, 2, 3, 4, 5, 6]);
});

test("opening a store sweeps temp blobs writers left behind and keeps a fresh one", () => {
  const dir = join(root, "sweep");
  openStore({ dir }).close();
  mkdirSync(join(dir, "blobs", "ab"), { recursive: true });
  const stale = join(dir, "blobs", "ab", ".tmp-123-stale");
  const fresh = join(dir, "blobs", "ab", ".tmp-456-fresh");
  writeFileSync(stale, "half a blob");
  writeFileSync(fresh, "being written now");
  const hourAgo = (Date.now() - 3600_000) / 1000;
  utimesSync(stale, hourAgo, hourAgo);
  openStore({ dir }).close();
  assert.equal(existsSync(stale), false, "a temp blob an hour old is swept");
  assert.equal(existsSync(fresh), true, "a temp blob a live writer may still be writing stays");
});

test("the store folder carries its own .gitignore ignoring everything in it", () => {
  const dir = join(root, "ignored");
  openStore({ dir }).close();
  const lines = readFileSync(join(dir, ".gitignore"), "utf8").split("\n");
  assert.ok(lines.includes("*"));
});

test("a run whose process was killed is marked aborted the next time the store opens, a live one stays running", async () => {
  const dir = join(root, "aborted");
  const storeModule = join(REPO, "out", "kernel", "stages", "store", "index.js");
  const script = `const { openStore } = await import(${JSON.stringify(storeModule)});
const s = openStore({ dir: ${JSON.stringify(dir)} });
console.log("run " + s.beginRun({ notebook: "killed.mlnb" }));
setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const runId = await new Promise<number>((resolve) => child.stdout.on("data", (d) => resolve(Number(/run (\d+)/.exec(String(d))![1]))));
  const live = openStore({ dir });
  const mine = live.beginRun({ notebook: "live.mlnb" });
  assert.equal(live.getRun(runId)!.status, "running", "its process is alive: still running");
  live.close();
  await new Promise((resolve) => {
    child.on("exit", resolve);
    child.kill("SIGKILL");
  });
  const after = openStore({ dir });
  try {
    assert.equal(after.getRun(runId)!.status, "aborted");
    assert.ok(after.getRun(runId)!.endedAt! > 0);
    assert.equal(after.getRun(mine)!.status, "running", "this process's own open run is not aborted");
  } finally {
    after.close();
  }
});
