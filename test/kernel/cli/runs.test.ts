// Tests of `mlnb runs`: the run table, run diffs, and errors, on a real store.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { runsCommand } from "../../../kernel/cli/runs.js";
import { createCodecRegistry } from "../../../kernel/stages/codecs/index.js";
import { openStore } from "../../../kernel/stages/store/index.js";

process.env.TZ = "UTC";
const root = mkdtempSync(join(tmpdir(), "mlnb-runs-"));
const notebook = join(root, "penguins.mlnb");
after(() => rmSync(root, { recursive: true, force: true }));

before(async () => {
  const codecs = createCodecRegistry();
  let now = Date.UTC(2026, 10, 26, 9, 0, 0);
  const store = openStore({ dir: join(root, ".mlnb"), codecs, clock: () => (now += 60_000) });
  const record = async (run: number, code: string, n: number, f1: number, status: "ok" | "cached" = "ok") =>
    store.recordStageRun({ runId: run, stage: "train", codeHash: code.repeat(64), paramsHash: "p", seed: 1, outputs: { n: await codecs.encode(n) }, status, durationMs: 5, metrics: [{ name: "f1", value: f1 }] });
  const a = store.beginRun({ notebook: "penguins.mlnb", seed: 1, params: { epochs: 5, target: "species" } });
  await record(a, "a", 1, 0.81234);
  store.endRun(a, "ok");
  const b = store.beginRun({ notebook: "penguins.mlnb", seed: 1, params: { epochs: 10, target: "species" } });
  await record(b, "b", 2, 0.9);
  store.endRun(b, "ok");
  const c = store.beginRun({ notebook: "penguins.mlnb", seed: 1, params: { epochs: 10, target: "species" } });
  await record(c, "b", 2, 0.9, "cached");
  store.endRun(c, "ok");
  store.beginRun({ notebook: "other.mlnb" });
  store.close();
});

async function run(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runsCommand(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

test("lists a notebook's runs newest first with params and metrics", async () => {
  const r = await run(notebook);
  assert.equal(r.code, 0);
  assert.deepEqual(r.out, [
    "run  started              status  stages        params                    metrics",
    "---  -------------------  ------  ------------  ------------------------  ---------",
    "3    2026-11-26 09:07:00  ok      1 (1 cached)  epochs=10 target=species  f1=0.9",
    "2    2026-11-26 09:04:00  ok      1             epochs=10 target=species  f1=0.9",
    "1    2026-11-26 09:01:00  ok      1             epochs=5 target=species   f1=0.8123",
  ]);
});

test("shows what changed between two runs", async () => {
  const r = await run("diff", "1", "2", notebook);
  assert.equal(r.code, 0);
  assert.deepEqual(r.out, [
    "run 1 -> run 2",
    "params:",
    "  epochs: 5 -> 10",
    "code:",
    `  train: ${"a".repeat(12)} -> ${"b".repeat(12)}`,
    "outputs:",
    `  train.n: ${r.out[6]!.split(" ")[3]} -> ${r.out[6]!.split(" ")[5]}`,
    "metrics:",
    "  f1: 0.8123 -> 0.9 (+0.08766)",
  ]);
  assert.notEqual(r.out[6]!.split(" ")[3], r.out[6]!.split(" ")[5]);
  assert.deepEqual((await run("diff", "2", "3", "--store", join(root, ".mlnb"))).out, ["run 2 -> run 3", "no differences"]);
});

test("lists every notebook's runs with --store and no notebook, as JSON on request", async () => {
  const r = await run("--store", join(root, ".mlnb"), "--json", "--limit", "2");
  const runs = JSON.parse(r.out.join("\n")) as { id: number; notebook: string }[];
  assert.deepEqual(runs.map((x) => [x.id, x.notebook]), [[4, "other.mlnb"], [3, "penguins.mlnb"]]);
});

test("names a missing run, a missing store and a bad option", async () => {
  assert.deepEqual(await run("diff", "1", "9", notebook), { code: 1, out: [], err: [`mlnb runs diff: no run "9" in ${join(root, ".mlnb")} (see mlnb runs)`] });
  const empty = join(root, "empty");
  mkdirSync(empty);
  const missing = await run(join(empty, "x.mlnb"));
  assert.deepEqual([missing.code, missing.err], [1, [`mlnb runs: no run store at ${join(empty, ".mlnb")} (run the notebook first, or pass --store DIR)`]]);
  const bad = await run("--sotre", "x");
  assert.equal(bad.code, 2);
  assert.match(bad.err[0]!, /^mlnb runs: unknown option --sotre/);
});

test("runs as `mlnb runs` through the real command line", () => {
  const bin = new URL("../../../../bin/mlnb.js", import.meta.url).pathname;
  const out = execFileSync(process.execPath, [bin, "runs", notebook, "--limit", "1"], { encoding: "utf8", env: { ...process.env, TZ: "UTC" } });
  assert.match(out.split("\n")[2]!, /^3 +2026-11-26 09:07:00 +ok +1 \(1 cached\)/);
});
