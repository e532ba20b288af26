// `mlnb gc` on a real store filled by real `mlnb run` and `mlnb export` processes: what it keeps, what it frees, what it prints.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, test } from "node:test";
import { serializeNotebook } from "../../../kernel/notebook/format.js";
import { openStore, type RunDetail } from "../../../kernel/stages/store/index.js";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
const BIN = join(REPO, "bin", "mlnb.js");
const root = mkdtempSync(join(tmpdir(), "mlnb-gc-"));
after(() => rmSync(root, { recursive: true, force: true }));

function mlnb(cwd: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.MLNB_STORE;
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => resolve({ code, out }));
  });
}

const code = (source: string) => ({ kind: "code" as const, language: "typescript", source, outputs: [], executionCount: null, metadata: {} });

/** A notebook whose `numbers` depend on the param n and whose `labels` never change (one blob shared by every run). */
function notebook(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const nb = join(dir, "gc.mlnb");
  writeFileSync(
    nb,
    serializeNotebook({
      cells: [
        code("%%params\nconst n = 1;"),
        code('%%stage labels\nconst labels = ["low", "high"];'),
        code("%%stage numbers\nconst numbers = Array.from({ length: 50 }, (_, i) => i * n);"),
        code("%%stage total --needs numbers\nconst total = numbers.reduce((a, b) => a + b, 0);"),
      ],
      metadata: {},
    }),
  );
  return nb;
}

async function run(dir: string, n: number, ...more: string[]): Promise<void> {
  const r = await mlnb(dir, ["run", "gc.mlnb", "--type-check", "off", "--no-write", "-p", `n=${n}`, ...more]);
  assert.equal(r.code, 0, r.out);
}

/** Every blob a run's outputs need. */
function blobsOf(run: RunDetail): Set<string> {
  return new Set(run.stageRuns.flatMap((s) => s.outputs.flatMap((o) => [...o.parts.map((p) => p.hash), ...(o.sidecar ? [o.sidecar.hash] : [])])));
}

function snapshot(dir: string) {
  const store = openStore({ dir: join(dir, ".mlnb") });
  try {
    const runs = store.listRuns().map((r) => store.getRun(r.id)!);
    const all = new Set(store.blobs.list!().map((b) => b.hash));
    const size = (h: string) => store.blobs.size(h);
    return { runs, all, size, has: (h: string) => store.blobs.has(h) };
  } finally {
    store.close();
  }
}

test("gc frees blobs only unkept runs reference, and a dry run removes nothing", async () => {
  const dir = join(root, "frees");
  notebook(dir);
  // every stage executed in every run: no run is another's cache source (gc keeps those)
  await run(dir, 1, "--no-cache");
  await run(dir, 2, "--no-cache");
  await run(dir, 3, "--no-cache");
  const before = snapshot(dir);
  assert.deepEqual(before.runs.map((r) => r.id), [3, 2, 1]);
  const [r3, r2, r1] = before.runs.map(blobsOf);
  const onlyRun1 = [...r1!].filter((h) => !r2!.has(h) && !r3!.has(h));
  assert.ok(onlyRun1.length >= 2, "numbers and total of n=1 are run 1's own blobs");
  assert.ok([...r1!].some((h) => r3!.has(h)), "labels is one blob every run shares");
  const bytes = onlyRun1.reduce((s, h) => s + before.size(h), 0);

  const dry = await mlnb(dir, ["gc", "--keep", "2", "--grace", "0", "--dry-run"]);
  assert.equal(dry.code, 0, dry.out);
  assert.match(dry.out, /would remove 1 run: 1\n/);
  assert.match(dry.out, new RegExp(`would free ${onlyRun1.length} blobs, `));
  assert.deepEqual(snapshot(dir).runs.map((r) => r.id), [3, 2, 1], "a dry run removes no run");
  assert.equal(snapshot(dir).all.size, before.all.size, "a dry run removes no blob");

  const gc = await mlnb(dir, ["gc", "--keep", "2", "--grace", "0", "--json"]);
  assert.equal(gc.code, 0, gc.out);
  const result = JSON.parse(gc.out) as { removed: { id: number }[]; blobsRemoved: number; bytesFreed: number; kept: { id: number; because: string }[] };
  assert.deepEqual(result.removed.map((r) => r.id), [1]);
  assert.deepEqual(result.kept.map((k) => [k.id, k.because]), [[3, "newest"], [2, "newest"]]);
  assert.equal(result.blobsRemoved, onlyRun1.length);
  assert.equal(result.bytesFreed, bytes);
  const after = snapshot(dir);
  assert.deepEqual(after.runs.map((r) => r.id), [3, 2]);
  for (const h of onlyRun1) assert.equal(after.has(h), false, `run 1's own blob ${h.slice(0, 8)} is gone`);
  for (const h of [...r2!, ...r3!]) assert.equal(after.has(h), true, `kept run's blob ${h.slice(0, 8)} stays`);
  assert.deepEqual(after.all, new Set([...r2!, ...r3!]), "nothing else is left");

  // the kept runs still restore: a rerun of n=3 takes every stage from the cache
  const again = await mlnb(dir, ["run", "gc.mlnb", "--type-check", "off", "--no-write", "-p", "n=3"]);
  assert.equal(again.code, 0, again.out);
  const store = openStore({ dir: join(dir, ".mlnb") });
  try {
    const latest = store.getRun(store.listRuns({ limit: 1 })[0]!.id)!;
    assert.deepEqual(latest.stageRuns.map((s) => [s.stage, s.status]), [["labels", "cached"], ["numbers", "cached"], ["total", "cached"]]);
    const total = latest.stageRuns.find((s) => s.stage === "total")!;
    assert.deepEqual(await store.loadOutputs(total.outputs), { total: 3 * (49 * 50) / 2 });
  } finally {
    store.close();
  }
});

test("gc keeps locked runs: the run an exported pipeline's lock names survives --keep 1 with its blobs", async () => {
  const dir = join(root, "locked");
  notebook(dir);
  await run(dir, 1);
  const exported = await mlnb(dir, ["export", "gc.mlnb"]);
  assert.equal(exported.code, 0, exported.out);
  assert.ok(existsSync(join(dir, "gc.pipeline.lock.json")));
  await run(dir, 2);
  await run(dir, 3);
  const before = snapshot(dir);
  const lockedBlobs = blobsOf(before.runs.find((r) => r.id === 1)!);

  const gc = await mlnb(dir, ["gc", "--keep", "1", "--grace", "0"]);
  assert.equal(gc.code, 0, gc.out);
  assert.match(gc.out, /kept 2 runs, of which locked: 1 \(gc\.pipeline\.lock\.json\)/);
  assert.match(gc.out, /\nremove 1 run: 2\n/);
  assert.match(gc.out, /freed [1-9]\d* blobs?, \d/);
  const after = snapshot(dir);
  assert.deepEqual(after.runs.map((r) => r.id), [3, 1]);
  for (const h of lockedBlobs) assert.equal(after.has(h), true, `the locked run's blob ${h.slice(0, 8)} stays`);

});

test("gc refuses, removing nothing, when a pipeline lock does not read, and names the file", async () => {
  const dir = join(root, "badlock");
  notebook(dir);
  const store = openStore({ dir: join(dir, ".mlnb") });
  for (let i = 0; i < 2; i++) store.endRun(store.beginRun({ notebook: "gc.mlnb" }), "ok");
  store.close();
  mkdirSync(join(dir, "pipelines"));
  writeFileSync(join(dir, "pipelines", "gc.pipeline.lock.json"), '{"lockVersion": 1, "notebook": 7}');
  writeFileSync(join(dir, "other.lock.json"), '{"packages": {}}');
  const gc = await mlnb(dir, ["gc", "--keep", "0", "--grace", "0"]);
  assert.equal(gc.code, 1, gc.out);
  assert.match(gc.out, /mlnb gc: pipelines\/gc\.pipeline\.lock\.json: field "notebook" must be a string/);
  assert.match(gc.out, /nothing was removed/);
  assert.deepEqual(snapshot(dir).runs.map((r) => r.id), [2, 1]);
  const usage = await mlnb(dir, ["gc", "--keep", "-1"]);
  assert.equal(usage.code, 2, usage.out);
});
