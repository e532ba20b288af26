// Training from a stream of table batches (data larger than memory): seeded, the same batches give the same model.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { read } from "../../../../kernel/ml/read/index.js";
import { train } from "../../../../kernel/ml/train/index.js";
import * as aq from "arquero";

const dir = mkdtempSync(join(tmpdir(), "mlnb-batches-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const csv = join(dir, "line.csv");
// y = 3x - 1 with a little deterministic noise; a class column: y > 2
const xs = Array.from({ length: 6000 }, (_, i) => ((i * 37) % 200) / 100 - 1);
writeFileSync(csv, "x,y,big\n" + xs.map((x, i) => `${x},${3 * x - 1 + ((i % 7) - 3) / 100},${3 * x - 1 > 0 ? "hi" : "lo"}`).join("\n") + "\n");

test("train.linearRegression fits from batches: the same batches and seed give the same weights", async () => {
  const fit = () => train.linearRegression(read.csvBatches(csv, { batchRows: 2048 }), { target: "y", features: ["x"], epochs: 5, seed: 3, progress: false });
  const a = await fit();
  const b = await fit();
  const probe = aq.table({ x: [-1, 0, 1] });
  const pa = a.predict(probe) as number[];
  assert.deepEqual(pa, b.predict(probe));
  // it learned the line
  pa.forEach((p, i) => assert.ok(Math.abs(p - (3 * (i - 1) - 1)) < 0.15, `prediction ${p} at x=${i - 1}`));
  assert.equal(a.history.loss!.length, 5);
  const c = await train.linearRegression(read.csvBatches(csv, { batchRows: 2048 }), { target: "y", features: ["x"], epochs: 5, seed: 4, progress: false });
  assert.notDeepEqual(c.predict(probe), pa, "another seed, another model");
  [a, b, c].forEach((m) => m.dispose());
});

test("train.logisticRegression from batches finds labels across all batches", async () => {
  const m = await train.logisticRegression(read.csvBatches(csv, { batchRows: 2048 }), { target: "big", features: ["x"], epochs: 10, seed: 1, progress: false });
  assert.deepEqual(m.predict(aq.table({ x: [-0.9, 0.9] })), ["lo", "hi"]);
  m.dispose();
});

test("refuses options that need every row at once when training from batches", async () => {
  await assert.rejects(train.linearRegression(read.csvBatches(csv), { target: "y", features: ["x"], validationSplit: 0.2, progress: false }), /validationSplit is not available when training from batches/);
});
