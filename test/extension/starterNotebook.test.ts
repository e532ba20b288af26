// Tests that the New ML Notebook template runs as created, headless, in an empty folder, with no type errors and its gate passed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { STARTER_CELLS } from "../../extension/starterNotebook.js";
import { parseNotebook, serializeNotebook } from "../../kernel/notebook/format.js";

const BIN = resolve(import.meta.dirname, "..", "..", "..", "bin", "mlnb.js");

test("the starter notebook runs every cell in an empty folder with type checks as errors, and its evaluate gate passes", () => {
  const dir = mkdtempSync(join(tmpdir(), "mlnb-starter-"));
  try {
    const path = join(dir, "starter.mlnb");
    writeFileSync(path, serializeNotebook({ metadata: {}, cells: STARTER_CELLS.map((c) => ({ kind: c.kind, language: c.kind === "code" ? "typescript" : "markdown", source: c.source, outputs: [], executionCount: null, metadata: {} })) }));
    assert.deepEqual(readdirSync(dir), ["starter.mlnb"], "no data file beside it");
    const r = spawnSync(process.execPath, [BIN, "run", path, "--type-check", "error"], { cwd: dir, encoding: "utf8", env: { ...process.env, MLNB_STORE: join(dir, ".mlnb") } });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.doesNotMatch(r.stderr, /warning|TS\d{4}/);
    const executed = parseNotebook(readFileSync(join(dir, "starter.out.mlnb"), "utf8"));
    const text = (i: number) => JSON.stringify(executed.cells[i]!.outputs);
    assert.match(text(3), /225 train rows, 75 test rows/);
    assert.match(text(4), /logisticRegression: height, width -> large, medium, small/);
    const table = (executed.cells[5]!.outputs[0] as { data: Record<string, { rows: unknown[][] }> }).data["application/vnd.mlnb.table+json"]!;
    assert.deepEqual(table.rows.map((r) => r[0]), ["large", "medium", "small"], "the per-class table");
    const runs = spawnSync(process.execPath, [BIN, "runs", path, "--json"], { cwd: dir, encoding: "utf8", env: { ...process.env, MLNB_STORE: join(dir, ".mlnb") } });
    const [run] = JSON.parse(runs.stdout) as { metrics: Record<string, number> }[];
    assert.ok(run!.metrics.accuracy! >= 0.8 && run!.metrics.f1! > 0.7, `metrics of the run: ${JSON.stringify(run!.metrics)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
