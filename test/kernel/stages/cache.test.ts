// Tests of stage cache decisions: keys, hits and misses across runs, restores, and declarations kept on restore.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import * as aq from "arquero";
import { lookupCache, outputsChanged, recordExecution, restoreFromCache, stageKey, trackedOutputs, type ValueSource } from "../../../kernel/stages/cache.js";
import { codeHash } from "../../../kernel/stages/cacheKey.js";
import { createCodecRegistry } from "../../../kernel/stages/codecs/index.js";
import { analyzeCell } from "../../../kernel/stages/defs.js";
import { buildGraph, type CellInput } from "../../../kernel/stages/graph.js";
import { declarationsOnly } from "../../../kernel/stages/restore.js";
import { openStore } from "../../../kernel/stages/store/index.js";

process.env.TZ = "UTC";
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const codecs = createCodecRegistry();

/** Cells and how to compute each stage's outputs from its inputs (standing in for the executor). */
function notebook(rawCode: string, raw: number[]): { cells: CellInput[]; compute: Record<string, (v: Record<string, unknown>) => Record<string, unknown>> } {
  return {
    cells: [
      { id: "p", code: "const factor = 2;", params: true },
      { id: "1", code: rawCode, stage: { name: "ingest" } },
      { id: "2", code: "import * as aq from 'arquero';\nconst t = aq.table({ v: raw.map((x) => x * factor) });\nfunction twice(x) { return 2 * x; }", stage: { name: "scale" } },
      { id: "3", code: "const total = t.rollup({ s: (d) => op.sum(d.v) }).get('s', 0);", stage: { name: "sum" } },
    ],
    compute: {
      ingest: () => ({ raw }),
      scale: (v) => ({ t: aq.table({ v: (v.raw as number[]).map((x) => x * (v.factor as number)) }) }),
      sum: (v) => ({ total: Array.from((v.t as aq.ColumnTable).array("v") as ArrayLike<number>).reduce((a, b) => a + b, 0) }),
    },
  };
}

/** Run every stage in order like the kernel would; returns what each stage did. */
async function runAll(store: ReturnType<typeof openStore>, nb: ReturnType<typeof notebook>, params: Record<string, unknown>, noCache = false) {
  const graph = buildGraph(nb.cells);
  const runId = store.beginRun({ notebook: "t.mlnb", seed: 1, params });
  const sources = new Map<string, ValueSource>();
  const scope: Record<string, unknown> = { ...params };
  const did: Record<string, string> = {};
  for (const name of graph.order) {
    const node = graph.stages.get(name)!;
    const cell = nb.cells.find((c) => c.stage?.name === name)!;
    const key = stageKey(node, codeHash(cell.code), { params, seed: 1, values: sources });
    const found = lookupCache(store, key, { noCache });
    if (found.hit) {
      const restored = await restoreFromCache(store, key, found.hit, { runId });
      Object.assign(scope, restored.values);
      restored.sources.forEach((s, n) => sources.set(n, s));
      did[name] = restored.message;
      continue;
    }
    const outputs = nb.compute[name]!(scope);
    Object.assign(scope, outputs);
    assert.deepEqual(Object.keys(outputs), trackedOutputs(node, analyzeCell(cell.code).kinds));
    const recorded = await recordExecution(store, codecs, key, { runId, values: outputs, status: "ok", durationMs: 1500 });
    recorded.sources.forEach((s, n) => sources.set(n, s));
    did[name] = `ran (${found.reason})`;
  }
  store.endRun(runId, "ok");
  return { did, scope };
}

function freshStore() {
  const dir = mkdtempSync(join(tmpdir(), "mlnb-cache-"));
  dirs.push(dir);
  let now = Date.UTC(2026, 10, 26, 9, 0, 0);
  return openStore({ dir, codecs, clock: () => (now += 1000) });
}

test("restores every stage from the cache when nothing changed, with equal values", async () => {
  const store = freshStore();
  const first = await runAll(store, notebook("const raw = [1, 2, 3];", [1, 2, 3]), { factor: 2 });
  assert.deepEqual(Object.values(first.did), Array(3).fill("ran (no stored run with this code, params, seed and inputs)"));
  const second = await runAll(store, notebook("const raw = [1, 2, 3]; // same code, new comment", [1, 2, 3]), { factor: 2 });
  assert.match(second.did.ingest!, /^cached: from run 1 at 2026-11-26 09:00:0\d, saved 1\.5 s$/);
  assert.match(second.did.sum!, /^cached: from run 1 /);
  assert.deepEqual(second.scope.raw, [1, 2, 3]);
  assert.deepEqual((second.scope.t as aq.ColumnTable).objects(), (first.scope.t as aq.ColumnTable).objects());
  assert.equal(second.scope.total, 12);
  store.close();
});

test("reruns a stage whose param changed and every stage whose inputs changed", async () => {
  const store = freshStore();
  await runAll(store, notebook("const raw = [1, 2, 3];", [1, 2, 3]), { factor: 2 });
  const p = await runAll(store, notebook("const raw = [1, 2, 3];", [1, 2, 3]), { factor: 3 });
  assert.match(p.did.ingest!, /^cached/, "ingest does not read the param");
  assert.equal(p.did.scale, "ran (no stored run with this code, params, seed and inputs)");
  assert.equal(p.did.sum, "ran (no stored run with this code, params, seed and inputs)", "its input hash changed");
  const c = await runAll(store, notebook("const raw = [1, 2, 4];", [1, 2, 4]), { factor: 2 });
  assert.deepEqual(Object.values(c.did).map((d) => d.slice(0, 3)), ["ran", "ran", "ran"]);
  const back = await runAll(store, notebook("const raw = [1, 2, 3];", [1, 2, 3]), { factor: 2 });
  assert.deepEqual(Object.values(back.did).map((d) => d.slice(0, 6)), ["cached", "cached", "cached"], "the older runs are still in the cache");
  store.close();
});

test("bypasses the cache with noCache", async () => {
  const store = freshStore();
  await runAll(store, notebook("const raw = [1];", [1]), { factor: 2 });
  const again = await runAll(store, notebook("const raw = [1];", [1]), { factor: 2 }, true);
  assert.deepEqual(Object.values(again.did), Array(3).fill("ran (cache bypassed (--no-cache))"));
  store.close();
});

test("does not cache a stage that reads an opaque value", async () => {
  const store = freshStore();
  const graph = buildGraph([{ id: "a", code: "const f = () => 1;", stage: { name: "a" } }, { id: "b", code: "const y = f();", stage: { name: "b" } }]);
  const runId = store.beginRun({ notebook: "t.mlnb" });
  const keyA = stageKey(graph.stages.get("a")!, codeHash("const f = () => 1;"), { params: {}, seed: 0, values: new Map() });
  const rec = await recordExecution(store, codecs, keyA, { runId, values: { f: () => 1 }, status: "ok", durationMs: 1 });
  assert.equal(rec.outputs[0]!.kind, "opaque");
  assert.deepEqual(lookupCache(store, keyA), { reason: "no stored run with this code, params, seed and inputs" });
  const keyB = stageKey(graph.stages.get("b")!, codeHash("const y = f();"), { params: {}, seed: 0, values: rec.sources });
  assert.deepEqual(lookupCache(store, keyB), { reason: 'input "f" from stage "a" has no stored value (run "a" first)' });
  store.close();
});

test("does not reread outputs the kernel already holds with the same hash", async () => {
  const store = freshStore();
  const graph = buildGraph([{ id: "a", code: "const x = [1, 2];\nconst y = 'k';", stage: { name: "a" } }]);
  const node = graph.stages.get("a")!;
  const runId = store.beginRun({ notebook: "t.mlnb" });
  const key = stageKey(node, codeHash("const x = [1, 2];\nconst y = 'k';"), { params: {}, seed: 0, values: new Map() });
  const rec = await recordExecution(store, codecs, key, { runId, values: { x: [1, 2], y: "k" }, status: "ok", durationMs: 10 });
  const current = new Map(rec.sources);
  current.set("y", { hash: "0".repeat(64), stage: "a" });
  const hit = lookupCache(store, key).hit!;
  const restored = await restoreFromCache(store, key, hit, { runId, current });
  assert.deepEqual(restored.kept, ["x"]);
  assert.deepEqual(restored.values, { y: "k" });
  store.close();
});

test("tells when a rerun changed a stage's outputs", () => {
  const before = new Map([["x", { hash: "1", stage: "s" }]]);
  assert.equal(outputsChanged(before, new Map([["x", { hash: "1", stage: "s" }]]), ["x"]), false);
  assert.equal(outputsChanged(before, new Map([["x", { hash: "2", stage: "s" }]]), ["x"]), true);
});

test("keeps only code declarations for a restore, on their own lines", () => {
  const code = "import * as aq from 'arquero';\nconst t = aq.table({\n  v: [1],\n});\nfunction helper() { return t; }\nclass K {}\nconsole.log(t);\ntype Row = { v: number };";
  assert.equal(declarationsOnly(code), "import * as aq from 'arquero';\n\n\n\nfunction helper() { return t; }\nclass K {}\n\ntype Row = { v: number };");
});
