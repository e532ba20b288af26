// Tests of the views' kernel commands on a real session and run store: graph, runs, comparison, stored outputs, table pages, loading a run.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { Reply } from "../../../kernel/protocol.js";
import { startTestSession } from "../../support/session.js";
import { TABLE_MIME, type TablePayload } from "../../../kernel/views/tableModel.js";

const root = mkdtempSync(join(tmpdir(), "mlnb-views-"));
after(() => rmSync(root, { recursive: true, force: true }));

const cells = [
  { id: "params", source: "%%params\nconst n = 600;" },
  { id: "ingest", source: '%%stage ingest\nimport * as aq from "arquero";\nconst rows = aq.table({ i: Array.from({ length: n }, (_, i) => i), sq: Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : (i * 37) % 101)) });\nrows' },
  { id: "score", source: '%%stage score\nimport { log } from "mlnb";\nconst total = rows.numRows();\nlog.metric("total", total);\n[{ name: "a", v: 1 }, { name: "b", v: null }]' },
];

function startSession() {
  const k = startTestSession(root, "views.mlnb");
  const runAll = async (params: Record<string, string> = {}) => {
    await k.command("sync", { cells });
    for (const c of cells) await k.run(c, params);
    assert.deepEqual(k.replies.filter((r) => r.type === "error"), []);
  };
  return { ...k, runAll };
}

test("the views' commands answer from the session and its run store", async () => {
  const k = startSession();
  await k.runAll();
  const shown = k.replies.filter((r): r is Extract<Reply, { type: "result" }> => r.type === "result").map((r) => r.data[TABLE_MIME] as TablePayload | undefined);
  const big = shown[0]!;
  assert.equal(big.complete, false);
  assert.equal(big.numRows, 600);
  assert.deepEqual(big.columns, [{ name: "i", type: "number", nulls: 0 }, { name: "sq", type: "number", nulls: 86 }]);
  assert.deepEqual(shown[1]!.rows, [["a", 1], ["b", null]], "a list of records renders as a table");
  const page = await k.command("tablePage", { ref: big.ref, offset: 575, limit: 50, sort: { column: "sq" } });
  assert.equal(page.rows.length, 25);
  assert.deepEqual(page.rows.at(-1), [595, null]);

  const graph = await k.command("graph");
  assert.deepEqual(graph.graph.edges, [{ from: "ingest", to: "score", name: "rows" }]);
  assert.equal(graph.stages.score.state, "fresh");
  assert.deepEqual(graph.stages.score.info.metrics, { total: 600 });
  k.session.close();

  // A second session with another param: a second run to compare.
  const k2 = startSession();
  await k2.runAll({ n: "50" });
  const runs = await k2.command("runs");
  assert.deepEqual(runs.map((r: { id: number; params: unknown; metrics: unknown }) => [r.id, r.params, r.metrics]), [[2, { n: 50 }, { total: 50 }], [1, { n: 600 }, { total: 600 }]]);
  const cmp = await k2.command("compareRuns", { runIds: [1, 2] });
  const changed = cmp.rows.filter((r: { changed: boolean }) => r.changed).map((r: { section: string; key: string }) => `${r.section}:${r.key}`);
  assert.deepEqual(changed.filter((k: string) => !k.startsWith("run:")), ["params:n", "outputs:ingest.rows", "outputs:score.total", "metrics:total"]);
  assert.match(cmp.chart.svg, /^<svg/);

  const run1 = await k2.command("run", { runId: 1 });
  const ingest = run1.stageRuns.find((s: { stage: string }) => s.stage === "ingest");
  const stored = await k2.command("storedOutput", { runId: 1, stageRunId: ingest.id, output: "rows" });
  assert.equal(stored.table.numRows, 600);
  assert.equal(stored.table.rows.length, 25);
  const storedPage = await k2.command("tablePage", { ref: stored.table.ref, offset: 0, limit: 3, sort: { column: "sq", descending: true } });
  assert.deepEqual(storedPage.rows.map((r: unknown[]) => r[1]), [100, 100, 100]);
  await assert.rejects(k2.command("storedOutput", { runId: 1, stageRunId: ingest.id, output: "nope" }), /stage ingest \(stage run \d+\) has no output "nope"; it has rows/);
  await assert.rejects(k2.command("run", { runId: 99 }), /no run 99 in the run store/);

  // Load run 1 into the session that holds run 2's values: the 600-row table comes back, as a cache hit.
  const loaded = await k2.command("loadRun", { runId: 1 });
  assert.deepEqual(loaded.loaded, ["ingest", "score"]);
  assert.equal(k2.session.executor.scope.rows && (k2.session.executor.scope.rows as { numRows(): number }).numRows(), 600);
  assert.equal(k2.session.executor.scope.total, 600);
  // The session's n is 50, the loaded table's 600: ingest is stale; score reads no param and its code matches.
  assert.equal(loaded.stages.ingest.state, "stale");
  assert.equal(loaded.stages.score.state, "cached");
  const after = await k2.command("run", { runId: 2 });
  assert.deepEqual(after.stageRuns.filter((s: { status: string }) => s.status === "cached").map((s: { stage: string }) => s.stage), ["ingest", "score"]);
  k2.session.close();
});
