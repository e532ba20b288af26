// Tests of the stage runner exported scripts use: seeding, params, selection, input check, gates, --verify, the run store.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, beforeEach, test } from "node:test";
import { context, stageRandom } from "../../../kernel/ml/context.js";
import { runPipeline, selectStages, type Pipeline, type PipelineLock } from "../../../kernel/pipeline/index.js";
import { openStore } from "../../../kernel/stages/store/index.js";

const root = mkdtempSync(join(tmpdir(), "mlnb-runner-"));
after(() => rmSync(root, { recursive: true, force: true }));
const scriptUrl = pathToFileURL(join(root, "demo.pipeline.ts")).href;
const lockPath = join(root, "demo.pipeline.lock.json");
const sha = (text: string) => createHash("sha256").update(text).digest("hex");

let calls: string[] = [];
let draws: number[] = [];
beforeEach(() => {
  calls = [];
  draws = [];
  writeFileSync(join(root, "data.csv"), "x\n1\n2\n");
  rmSync(lockPath, { force: true });
});

const pipeline: Pipeline = {
  notebook: "demo.mlnb",
  mlnb: "0.1.0",
  params: { factor: 2 },
  stages: [
    {
      name: "ingest", cell: 1, seed: 3, codeHash: "c1", inputs: {}, params: [], outputs: ["rows"], tracked: ["rows"], needs: [], gates: [],
      run: async () => {
        calls.push("ingest");
        const rows = readFileSync("data.csv", "utf8").trim().split("\n").slice(1).map(Number);
        return { rows };
      },
    },
    {
      name: "scale", cell: 2, seed: 3, codeHash: "c2", inputs: { rows: "ingest" }, params: ["factor"], outputs: ["scaled"], tracked: ["scaled"], needs: [], gates: ["n>=2"],
      run: async ({ rows, factor }) => {
        calls.push("scale");
        draws.push(Math.random(), context().random());
        context().metric("n", rows.length);
        return { scaled: rows.map((r: number) => r * factor) };
      },
    },
  ],
};

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runPipeline(pipeline, [...argv, "--store", join(root, ".mlnb")], { scriptUrl, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

function writeLock(patch: (lock: PipelineLock) => void): void {
  const lock: PipelineLock = {
    lockVersion: 1, notebook: "demo.mlnb", notebookDir: ".", seed: 3, params: { factor: 2 }, versions: {},
    inputs: [{ path: "data.csv", sha256: sha("x\n1\n2\n"), bytes: 6, stages: ["ingest"] }],
    stages: { ingest: { codeHash: "c1", seed: 3, cell: 1, outputs: {} }, scale: { codeHash: "c2", seed: 3, cell: 2, outputs: {} } },
  };
  patch(lock);
  writeFileSync(lockPath, JSON.stringify(lock));
}

function lastRunHashes(): Record<string, string> {
  const store = openStore({ dir: join(root, ".mlnb") });
  try {
    const [latest] = store.listRuns({ notebook: "demo.pipeline.ts", limit: 1 });
    const hashes: Record<string, string> = {};
    for (const s of store.getRun(latest!.id)!.stageRuns) for (const o of s.outputs) hashes[`${s.stage}.${o.name}`] = o.hash!;
    return hashes;
  } finally {
    store.close();
  }
}

test("runs each stage with Math.random and context().random drawing from the kernel's (seed, stage) generator", async () => {
  const r = await run();
  assert.equal(r.code, 0, r.err);
  const expected = stageRandom(3, "scale");
  assert.deepEqual(draws, [expected(), expected()]);
  assert.deepEqual(calls, ["ingest", "scale"]);
  assert.match(r.out, /scale: n=2/);
});

test("reads files relative to the script's folder whatever the working directory", async () => {
  const cwd = process.cwd();
  process.chdir(tmpdir());
  try {
    assert.equal((await run()).code, 0);
  } finally {
    process.chdir(cwd);
  }
  assert.equal(process.cwd(), cwd);
});

test("overrides a param with -p, coerced to the default's type, and rejects an unknown one", async () => {
  await run("-p", "factor=3");
  const store = openStore({ dir: join(root, ".mlnb") });
  const [latest] = store.listRuns({ notebook: "demo.pipeline.ts", limit: 1 });
  assert.deepEqual(latest!.params, { factor: 3 });
  store.close();
  const bad = await run("-p", "facter=3");
  assert.equal(bad.code, 2);
  assert.match(bad.err, /unknown param "facter"; did you mean "factor"\?/);
});

test("stops before the first stage when an input differs from the lock, naming the file and both hashes", async () => {
  writeLock(() => {});
  writeFileSync(join(root, "data.csv"), "x\n1\n5\n");
  const r = await run();
  assert.equal(r.code, 1);
  assert.deepEqual(calls, []);
  assert.ok(r.err.includes(`input changed: data.csv (lock sha256 ${sha("x\n1\n2\n")}, now ${sha("x\n1\n5\n")})`), r.err);
});

test("runs anyway with --accept-changed-inputs and says so", async () => {
  writeLock(() => {});
  writeFileSync(join(root, "data.csv"), "x\n1\n5\n");
  const r = await run("--accept-changed-inputs");
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /running anyway with 1 changed input \(--accept-changed-inputs\)/);
});

test("--verify passes when every hash equals the lock's and fails naming the stage, the output and both hashes", async () => {
  await run();
  const hashes = lastRunHashes();
  writeLock((l) => {
    l.stages.ingest!.outputs = { rows: { kind: "json", hash: hashes["ingest.rows"]! } };
    l.stages.scale!.outputs = { scaled: { kind: "json", hash: hashes["scale.scaled"]! } };
  });
  const ok = await run("--verify");
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /verified 2 output hashes against the lock/);
  const changed = await run("--verify", "-p", "factor=3");
  assert.equal(changed.code, 1);
  assert.match(changed.err, /stage scale reads param factor = 3, but the locked run used 2/);
  writeLock((l) => {
    l.stages.ingest!.outputs = { rows: { kind: "json", hash: hashes["ingest.rows"]! } };
    l.stages.scale!.outputs = { scaled: { kind: "json", hash: "0".repeat(64) } };
  });
  const bad = await run("--verify");
  assert.equal(bad.code, 1);
  assert.ok(bad.err.includes(`verify failed: stage scale, output scaled: lock ${"0".repeat(64)}, now ${hashes["scale.scaled"]}`), bad.err);
});

test("--verify refuses a stage the lock cannot vouch for, saying why", async () => {
  writeLock((l) => (l.stages.scale = { codeHash: "c2", seed: 3, cell: 2, unverifiable: "the notebook has no successful run in its store" }));
  const r = await run("--verify");
  assert.equal(r.code, 1);
  assert.match(r.err, /stage scale cannot be verified: the notebook has no successful run in its store/);
});

test("--stage restores upstream outputs from the store instead of running them", async () => {
  await run();
  calls = [];
  const r = await run("--stage", "scale");
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(calls, ["scale"]);
  assert.match(r.out, /ingest: outputs restored from run \d+ \(not selected\)/);
});

test("a failed gate fails the run with the metric's value", async () => {
  writeFileSync(join(root, "data.csv"), "x\n1\n");
  const r = await run();
  assert.equal(r.code, 1);
  assert.match(r.err, /stage scale: gate n>=2 failed: n = 1/);
});

test("warns about files a stage read that the lock does not list", async () => {
  writeLock((l) => (l.inputs = []));
  const r = await run();
  assert.match(r.err, /stage ingest read data\.csv, which is not in the lock/);
});

test("selects stages with --from and --to, and names an unknown stage", () => {
  assert.deepEqual(selectStages(pipeline, { from: "scale" }), { selected: ["scale"], upstream: ["ingest"] });
  assert.deepEqual(selectStages(pipeline, { to: "ingest" }), { selected: ["ingest"], upstream: [] });
  assert.throws(() => selectStages(pipeline, { stage: "scal" }), /--stage scal: no such stage \(stages: ingest, scale\)/);
});

/** The demo pipeline plus a "report" stage reading scale's output, with scale's gate replaced. */
function withReport(gate: string): Pipeline {
  const [ingest, scale] = pipeline.stages;
  return {
    ...pipeline,
    stages: [
      ingest!,
      { ...scale!, gates: [gate] },
      { name: "report", cell: 3, seed: 3, codeHash: "c3", inputs: { scaled: "scale" }, params: [], outputs: ["total"], tracked: ["total"], needs: [], gates: [], run: async ({ scaled }) => ({ total: scaled.reduce((a: number, b: number) => a + b, 0) }) },
    ],
  };
}

async function runWith(p: Pipeline, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runPipeline(p, [...argv, "--store", join(root, ".mlnb-gates")], { scriptUrl, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

test("a tightened gate fails a stage the script restores from the store, naming the metric, its value and the bound", async () => {
  rmSync(join(root, ".mlnb-gates"), { recursive: true, force: true });
  assert.equal((await runWith(withReport("n>=2"))).code, 0);
  calls = [];
  const tightened = await runWith(withReport("n>=3"), "--stage", "report");
  assert.equal(tightened.code, 1);
  assert.deepEqual(calls, [], "scale was restored, not run");
  assert.match(tightened.err, /stage scale \(cell 2\) failed: GateError: stage scale: gate n>=3 failed: n = 2 \(metrics from run 1, restored from the cache\)/);
});

test("a stage whose gate failed in a script is recorded failed and never restored as a success", async () => {
  rmSync(join(root, ".mlnb-gates"), { recursive: true, force: true });
  writeFileSync(join(root, "data.csv"), "x\n1\n");
  const failedRun = await runWith(withReport("n>=2"));
  assert.equal(failedRun.code, 1);
  const store = openStore({ dir: join(root, ".mlnb-gates") });
  try {
    const [latest] = store.listRuns({ limit: 1 });
    assert.deepEqual(store.getRun(latest!.id)!.stageRuns.map((s) => [s.stage, s.status]), [["ingest", "ok"], ["scale", "error"]]);
  } finally {
    store.close();
  }
  calls = [];
  const again = await runWith(withReport("n>=2"), "--stage", "report");
  assert.equal(again.code, 1);
  assert.deepEqual(calls, ["scale"], "scale ran again (its failed execution is no cache entry)");
  assert.match(again.err, /gate n>=2 failed: n = 1/);
});

test("a script stage that changes an upstream array in place fails naming both stages and the value", async () => {
  const mutating: Pipeline = {
    ...pipeline,
    stages: [pipeline.stages[0]!, { ...pipeline.stages[1]!, gates: [], run: async ({ rows }) => (rows.push(99), { scaled: rows }) }],
  };
  const r = await runWith(mutating);
  assert.equal(r.code, 1);
  assert.match(r.err, /stage scale \(cell 2\) failed: MutationError: stage scale changed "rows", a value owned by stage ingest/);
});
