// Tests of the lock: expected hashes from the notebook's last run, why a stage cannot be verified, and input files found statically.
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildLock, findInputFiles, planExport } from "../../../kernel/export/index.js";
import type { Notebook } from "../../../kernel/notebook/format.js";
import type { RunDetail, StageRunDetail } from "../../../kernel/stages/store/types.js";

const nb: Notebook = {
  metadata: {},
  cells: ["%%params\nconst path = \"data/x.csv\";", "%%stage ingest\nconst rows = [1, 2];", "%%stage twice\nconst doubled = rows.map((r) => r * 2);\nfunction f() {}"].map((source) => ({ kind: "code" as const, language: "typescript", source, outputs: [], executionCount: null, metadata: {} })),
};
const plan = planExport(nb);

const stageRun = (stage: string, codeHash: string, outputs: StageRunDetail["outputs"], seed = 0): StageRunDetail => ({
  id: 1, stage, status: "ok", codeHash, paramsHash: "p", seed, inputsHash: "i", startedAt: 0, durationMs: 1, inputs: [], outputs, metrics: [{ name: "n", value: 2 }], params: {}, loggedParams: {},
});
const run = (stageRuns: StageRunDetail[]): RunDetail => ({ id: 7, notebook: "demo.mlnb", startedAt: Date.UTC(2026, 10, 26), status: "ok", seed: 0, source: "cli", params: { path: "data/x.csv" }, metrics: {}, stages: stageRuns.length, cached: 0, failed: 0, stageRuns });
const data = { notebook: "demo.mlnb", notebookDir: ".", inputs: [], versions: { mlnb: "0.1.0" } };

test("takes each stage's expected output hashes and metrics from the notebook's last run", () => {
  const [ingest, twice] = plan.stages;
  const { lock, warnings } = buildLock(plan, {
    ...data,
    run: run([
      stageRun("ingest", ingest!.codeHash, [{ name: "rows", kind: "json", shape: "array[2]", hash: "a".repeat(64), meta: {}, parts: [], size: 5 }]),
      stageRun("twice", twice!.codeHash, [{ name: "doubled", kind: "opaque", shape: "x", reason: "no codec", meta: {}, parts: [], size: 0 }]),
    ]),
  });
  assert.deepEqual(warnings, []);
  assert.deepEqual(lock.stages.ingest!.outputs, { rows: { kind: "json", shape: "array[2]", hash: "a".repeat(64) } });
  assert.deepEqual(lock.stages.ingest!.metrics, { n: 2 });
  assert.deepEqual(lock.stages.twice!.outputs, { doubled: { kind: "opaque", shape: "x", reason: "no codec" } });
  assert.deepEqual(lock.params, { path: "data/x.csv" });
  assert.deepEqual(lock.run, { id: 7, startedAt: "2026-11-26T00:00:00.000Z", source: "cli" });
});

test("leaves out the expected hashes of a stage whose code changed since the run, and says why", () => {
  const { lock, warnings } = buildLock(plan, { ...data, run: run([stageRun("ingest", "old", []), stageRun("twice", plan.stages[1]!.codeHash, [], 9)]) });
  assert.equal(lock.stages.ingest!.outputs, undefined);
  assert.match(lock.stages.ingest!.unverifiable!, /stage "ingest" changed since run 7/);
  assert.match(lock.stages.twice!.unverifiable!, /ran with seed 9 in run 7, the notebook now says 0/);
  assert.equal(warnings.length, 2);
});

test("without a run, every stage is unverifiable and the params are the notebook's defaults", () => {
  const { lock } = buildLock(plan, data);
  assert.match(lock.stages.twice!.unverifiable!, /no successful run in its store/);
  assert.deepEqual(lock.params, { path: "data/x.csv" });
});

test("finds file paths given to node:fs readers and read.*, string params included, URLs and computed paths not", () => {
  const code = [
    'const a = readFileSync("a.json", "utf8");',
    "const b = await fs.promises.readFile(`b.txt`);",
    'const c = await read.csv("data/c.csv");',
    "const d = await read(path);",
    'const e = await read.http("https://example.com/x.json");',
    'const f = readFileSync(join(dir, "f.csv"));',
    'const g = createReadStream("g.ndjson");',
  ].join("\n");
  assert.deepEqual(findInputFiles(code, { path: "data/d.parquet" }), ["a.json", "b.txt", "data/c.csv", "data/d.parquet", "g.ndjson"]);
});

test("does not vouch for a stage whose latest execution failed, even after an earlier success", () => {
  const ok = stageRun("ingest", plan.stages[0]!.codeHash, []);
  const failed = { ...stageRun("ingest", plan.stages[0]!.codeHash, []), status: "error" as const };
  const { lock } = buildLock(plan, { ...data, run: run([ok, failed]) });
  assert.match(lock.stages.ingest!.unverifiable!, /stage "ingest" failed in run 7/);
});
