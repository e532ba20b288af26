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

test("mlnb run caps a cell's saved output: a console.log loop and a giant table are cut with a note saying how to raise the cap", () => {
  const cell = (source: string) => ({ kind: "code" as const, language: "typescript", source, outputs: [], executionCount: null, metadata: {} });
  const nb: Notebook = {
    metadata: {},
    cells: [
      cell('for (let i = 0; i < 20000; i++) console.log("line " + i);'),
      cell('display.text("before the table");\ndisplay.json(Array.from({ length: 5000 }, (_, i) => ({ i, name: "row " + i })));\n"after"'),
      cell('console.log("small and whole");'),
    ],
  };
  const path = join(dir, "loud.mlnb");
  writeFileSync(path, serializeNotebook(nb));
  const r = spawnSync(process.execPath, [BIN, "run", path, "--type-check", "off", "--quiet", "--max-output", "20000"], { encoding: "utf8", env: { ...process.env, MLNB_STORE: join(dir, ".mlnb-loud") } });
  assert.equal(r.status, 0, r.stderr);
  const file = readFileSync(join(dir, "loud.out.mlnb"), "utf8");
  assert.ok(file.length < 60_000, `the executed notebook stays small: ${file.length} characters`);
  const [loop, table, small] = parseNotebook(file).cells.map((c) => c.outputs);
  const text = (o: unknown) => JSON.stringify(o);
  // the loop: its text up to the cap, cut between lines' characters, then the note counting the rest
  assert.equal(loop!.length, 2);
  const kept = (loop![0] as { text: string }).text;
  assert.ok(kept.startsWith("line 0\nline 1\n") && Buffer.byteLength(kept) === 20000, `kept ${Buffer.byteLength(kept)} bytes`);
  const total = Array.from({ length: 20000 }, (_, i) => `line ${i}\n`).join("").length;
  assert.match(text(loop![1]), new RegExp(`output cut: ${Math.round((total - 20000) / 1000)} kB in 1 output not kept; a cell keeps at most 20 kB of output \\(raise it with mlnb run --max-output BYTES\\)`));
  // the table: the text before it stays, the table (over the cap) goes whole with the note in its place, the result after it stays
  assert.equal(table!.length, 3);
  assert.match(text(table![0]), /before the table/);
  assert.match(text(table![1]), /output cut: \d+ kB in 1 output not kept/);
  assert.match(text(table![2]), /after/);
  assert.ok(!table!.some((o) => /row 4999/.test(text(o))), "the giant table is not in the file");
  assert.match(text(small), /small and whole/);
  assert.doesNotMatch(text(small), /output cut/);
});

test("mlnb run writes into the executed notebook an error a timer of the last cell throws after it finished (the notebook is written while the kernel exits)", () => {
  const nb: Notebook = {
    metadata: {},
    cells: [{ kind: "code", language: "typescript", source: 'setTimeout(() => { throw new Error("late timer error"); }, 0);\n"scheduled"', outputs: [], executionCount: null, metadata: {} }],
  };
  const path = join(dir, "late.mlnb");
  writeFileSync(path, serializeNotebook(nb));
  const r = spawnSync(process.execPath, [BIN, "run", path, "--type-check", "off"], { encoding: "utf8", env: { ...process.env, MLNB_STORE: join(dir, ".mlnb-late") } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /mlnb run: cell 1: .*late timer error/s);
  const executed = parseNotebook(readFileSync(join(dir, "late.out.mlnb"), "utf8"));
  const outputs = JSON.stringify(executed.cells[0]!.outputs);
  assert.match(outputs, /scheduled/);
  assert.match(outputs, /late timer error/);
});
