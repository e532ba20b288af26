// Tests of the runs view's data: item texts, run comparison rows and the metric chart across runs.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { RunDetail, RunSummary, StageRunDetail } from "../../../kernel/stages/store/types.js";
import { compareRuns, metricChartSpec, outputItemText, runItemText, runsUpdate, stageItemText } from "../../../kernel/views/runsModel.js";

process.env.TZ = "UTC";
const stageRun = (id: number, stage: string, code: string, outHash: string, metrics: Record<string, number> = {}): StageRunDetail => ({
  id, stage, status: "ok", codeHash: code.repeat(64), paramsHash: "p", seed: 42, inputsHash: "i", startedAt: Date.UTC(2026, 11, 1, 9), durationMs: 1234, inputs: [],
  outputs: [{ name: `${stage}Out`, kind: "table", shape: "344×7", hash: outHash.repeat(64), meta: {}, parts: [], size: 100 }],
  metrics: Object.entries(metrics).map(([name, value]) => ({ name, value })), params: {}, loggedParams: {},
});
const run = (id: number, epochs: number, stageRuns: StageRunDetail[]): RunDetail => ({
  id, notebook: "penguins.mlnb", startedAt: Date.UTC(2026, 11, 1, 9, id), status: "ok", source: "kernel", params: { epochs, hidden: 16 },
  metrics: Object.fromEntries(stageRuns.flatMap((s) => s.metrics.map((m) => [m.name, m.value]))), stages: stageRuns.length, cached: 0, failed: 0, stageRuns,
});
const a = run(1, 20, [stageRun(1, "ingest", "a", "1"), stageRun(2, "train", "b", "2", { accuracy: 0.9, f1: 0.88 })]);
const b = run(2, 60, [stageRun(3, "ingest", "a", "1"), stageRun(4, "train", "b", "3", { accuracy: 0.985, f1: 0.98 })]);

test("describes a run with its params and headline metrics", () => {
  const t = runItemText(b);
  assert.equal(t.label, "run 2 · ok");
  assert.equal(t.description, "epochs=60 hidden=16 · accuracy=0.985 f1=0.98");
  assert.match(t.tooltip, /^run 2 of penguins.mlnb \(kernel\), started 2026-12-01 09:02:00\n2 stages\n/);
  assert.deepEqual(stageItemText(b.stageRuns[1]!), { label: "train", description: "ok · 1.2 s", tooltip: `stage run 4: ok\ncode ${"b".repeat(12)}\nstarted 2026-12-01 09:00:00` });
  assert.equal(outputItemText({ name: "model", kind: "opaque", shape: "function", reason: "value is a function", meta: {}, parts: [], size: 0 }).description, "opaque function (not stored: value is a function)");
});

test("puts two runs side by side and flags what changed", () => {
  const rows = compareRuns([a, b]);
  const byKey = Object.fromEntries(rows.map((r) => [`${r.section}:${r.key}`, [r.values, r.changed]]));
  assert.deepEqual(byKey["params:epochs"], [["20", "60"], true]);
  assert.deepEqual(byKey["params:hidden"], [["16", "16"], false]);
  assert.deepEqual(byKey["code:train"], [["bbbbbbbbbbbb", "bbbbbbbbbbbb"], false]);
  assert.deepEqual(byKey["outputs:ingest.ingestOut"], [["111111111111", "111111111111"], false]);
  assert.deepEqual(byKey["outputs:train.trainOut"], [["222222222222", "333333333333"], true]);
  assert.deepEqual(byKey["metrics:accuracy"], [["0.9", "0.985"], true]);
  assert.deepEqual(rows.map((r) => r.section).filter((s, i, all) => all.indexOf(s) === i), ["run", "params", "code", "outputs", "metrics"]);
});

test("charts every metric across runs oldest first, one line per metric", () => {
  const spec = metricChartSpec([b, a]) as { data: { values: unknown[] }; encoding: { color: { field: string } }; mark: { type: string } };
  assert.deepEqual(spec.data.values, [
    { run: 1, metric: "accuracy", value: 0.9 },
    { run: 1, metric: "f1", value: 0.88 },
    { run: 2, metric: "accuracy", value: 0.985 },
    { run: 2, metric: "f1", value: 0.98 },
  ]);
  assert.equal(spec.encoding.color.field, "metric");
  assert.equal(spec.mark.type, "line");
});

const summary = (id: number, status: RunSummary["status"], stages: number): RunSummary => ({ id, notebook: "penguins.mlnb", startedAt: id, status, source: "kernel", params: { epochs: 60 }, metrics: {}, stages, cached: 0, failed: 0 });

test("refreshes in place the runs whose summary changed and the running run, when the store holds the same runs", () => {
  const shown = [summary(3, "running", 2), summary(2, "ok", 7), summary(1, "ok", 7)];
  assert.deepEqual(runsUpdate(shown, [summary(3, "running", 2), summary(2, "ok", 7), summary(1, "ok", 7)]), { relist: false, changed: [3] });
  assert.deepEqual(runsUpdate(shown, [summary(3, "ok", 7), summary(2, "ok", 7), summary(1, "aborted", 7)]), { relist: false, changed: [3, 1] });
  const ended = [summary(2, "ok", 7), summary(1, "ok", 7)];
  assert.deepEqual(runsUpdate(ended, ended.map((r) => ({ ...r }))), { relist: false, changed: [] });
});

test("lists the runs anew when a run was added or removed", () => {
  const shown = [summary(2, "ok", 7), summary(1, "ok", 7)];
  assert.deepEqual(runsUpdate(shown, [summary(3, "running", 1), ...shown]), { relist: true });
  assert.deepEqual(runsUpdate(shown, [summary(2, "ok", 7)]), { relist: true });
  assert.deepEqual(runsUpdate(shown, [summary(4, "ok", 7), summary(1, "ok", 7)]), { relist: true });
  assert.deepEqual(runsUpdate([], []), { relist: false, changed: [] });
});
