// Tests that Load Into Kernel (the `loadRun` command) gives each loaded stage's cell what a cache hit in a run shows: displays, the cached line, the result.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { Reply } from "../../../kernel/protocol.js";
import { startTestSession } from "../../support/session.js";

const root = mkdtempSync(join(tmpdir(), "mlnb-loadrun-"));
after(() => rmSync(root, { recursive: true, force: true }));

const cells = [
  { id: "cell-ingest", source: '%%stage ingest\nconst rows = [1, 2, 3, 4];\ndisplay.markdown(`**${rows.length} rows** read`);\ndisplay.html("<b>ingest done</b>");\nrows.length' },
  { id: "cell-total", source: "%%stage total\nconst total = rows.reduce((s, v) => s + v, 0);\n`total ${total}`" },
  { id: "cell-plain", source: "const shown = total * 2;" },
];

const startSession = () => startTestSession(root, "load.mlnb");

test("a loaded stage's replay holds its recorded displays, the cached line and its result, as a cache hit shows them", async () => {
  const first = startSession();
  await first.command("sync", { cells });
  const ran = await first.run(cells[0]!);
  await first.run(cells[1]!);
  assert.deepEqual(ran.filter((r) => r.type === "error"), []);
  first.session.close();

  const second = startSession();
  await second.command("sync", { cells });
  const loaded = await second.command("loadRun", { runId: 1 });
  assert.deepEqual(loaded.loaded, ["ingest", "total"]);
  assert.deepEqual(loaded.replays.map((r: { stage: string; cellId: string }) => [r.stage, r.cellId]), [["ingest", "cell-ingest"], ["total", "cell-total"]]);
  const [ingest, total] = loaded.replays;
  assert.deepEqual(ingest.shown.map((d: Record<string, unknown>) => d["text/markdown"] ?? d["text/html"]), ["**4 rows** read", "<b>ingest done</b>"]);
  assert.equal(ingest.result["text/plain"], "4");
  assert.match(ingest.message, /^cached: from run 1 at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d, saved \d+(\.\d)? s$/);
  assert.deepEqual(total.shown, []);
  assert.equal(total.result["text/plain"], "'total 10'");
  assert.equal(second.session.executor.scope.total, 10);

  // The same stage restored by a run in a fresh kernel shows the same displays and result.
  const third = startSession();
  await third.command("sync", { cells });
  const hit = await third.run(cells[0]!);
  const displays = hit.filter((r): r is Extract<Reply, { type: "display" }> => r.type === "display").map((r) => r.data);
  const result = hit.find((r): r is Extract<Reply, { type: "result" }> => r.type === "result")?.data;
  assert.deepEqual(displays, ingest.shown);
  assert.deepEqual(result, ingest.result);
  assert.ok(hit.some((r) => r.type === "stream" && /^cached: from run 1 /.test(r.text)));
  second.session.close();
  third.session.close();
});

test("a stage that failed in the loaded run is skipped and replays nothing", async () => {
  const failing = [{ id: "cell-bad", source: '%%stage bad\nconst b = 1;\nthrow new Error("boom")' }];
  const dir = mkdtempSync(join(root, "bad-"));
  const k = startTestSession(dir, "bad.mlnb");
  await k.command("sync", { cells: failing });
  await k.run(failing[0]!);
  const result = (await k.command("loadRun", { runId: 1 })) as { loaded: string[]; skipped: { stage: string; reason: string }[]; replays: unknown[] };
  assert.deepEqual(result.loaded, []);
  assert.deepEqual(result.skipped, [{ stage: "bad", reason: "it failed in run 1" }]);
  assert.deepEqual(result.replays, []);
  k.session.close();
});
