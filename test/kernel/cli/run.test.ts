// Tests of `mlnb run` over a warm store: a tightened gate fails a cached stage, and the executed notebook keeps the cached stage's outputs.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, test } from "node:test";
import { parseNotebook, serializeNotebook, type Notebook } from "../../../kernel/notebook/format.js";

const BIN = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..", "bin", "mlnb.js");
const dir = mkdtempSync(join(tmpdir(), "mlnb-cli-run-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Write a notebook whose evaluate stage has `gate`, run it with `mlnb run`; returns the exit code, output and executed notebook. */
function runWithGate(gate: string) {
  const nb: Notebook = {
    metadata: {},
    cells: [
      { kind: "code", language: "typescript", source: "%%stage ingest\nimport * as aq from \"arquero\";\nconst rows = aq.table({ x: [1, 2, 3, 4] });\ndisplay.text(\"read 4 rows\");\nrows", outputs: [], executionCount: null, metadata: {} },
      { kind: "code", language: "typescript", source: `%%stage evaluate --gate "${gate}"\nimport { log } from "mlnb";\nconst share = rows.filter((d: any) => d.x > 1).numRows() / rows.numRows();\nlog.metric("share", share);`, outputs: [], executionCount: null, metadata: {} },
    ],
  };
  const path = join(dir, "gates.mlnb");
  writeFileSync(path, serializeNotebook(nb));
  const r = spawnSync(process.execPath, [BIN, "run", path, "--type-check", "off"], { encoding: "utf8", env: { ...process.env, MLNB_STORE: join(dir, ".mlnb") } });
  const executed = parseNotebook(readFileSync(join(dir, "gates.out.mlnb"), "utf8"));
  return { code: r.status, out: r.stdout, err: r.stderr, executed };
}

test("mlnb run fails a cached stage whose gate was tightened, naming the metric, its value and the bound", () => {
  const first = runWithGate("share>=0.5");
  assert.equal(first.code, 0, first.err);
  const tightened = runWithGate("share>=0.9");
  assert.equal(tightened.code, 1);
  assert.match(tightened.err, /GateError: stage evaluate: gate share>=0\.9 failed: share = 0\.75 \(metrics from run 1, restored from the cache\)/);
  assert.match(tightened.err, /mlnb run: cell 2 \(stage evaluate\) of .*gates\.mlnb failed/);
});

test("mlnb run over a warm store writes the cached stage's table and displays into the executed notebook, then the cached line", () => {
  const warm = runWithGate("share>=0.5");
  assert.equal(warm.code, 0, warm.err);
  const ingest = warm.executed.cells[0]!.outputs;
  const texts = ingest.map((o) => (o.output_type === "stream" ? o.text : String((o as { data: Record<string, unknown> }).data["text/plain"] ?? "")));
  assert.equal(texts[0], "read 4 rows");
  assert.match(texts[1]!, /^cached: from run \d+ at /);
  assert.equal(ingest[2]!.output_type, "execute_result");
  assert.match(String((ingest[2] as { data: Record<string, unknown> }).data["text/html"]), /<table/);
});
