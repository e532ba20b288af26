// Tests that large reads report bytes and rows as one display updated in place, and that `mlnb run` prints it as progress.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { read } from "../../../../kernel/ml/read/index.js";
import { readProgress } from "../../../../kernel/ml/read/progress.js";
import { withContext, type Mime, type RunContext } from "../../../../kernel/ml/context.js";
import { serializeNotebook } from "../../../../kernel/notebook/format.js";

const BIN = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..", "..", "bin", "mlnb.js");
const dir = mkdtempSync(join(tmpdir(), "mlnb-read-progress-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const ROWS = 200_000;
const csv = join(dir, "big.csv");
writeFileSync(csv, "i,x,g\n" + Array.from({ length: ROWS }, (_, i) => `${i},${(i % 1000) / 7},g${i % 5}`).join("\n") + "\n");

function capture(): { ctx: RunContext; shown: { text: string; id?: string }[] } {
  const shown: { text: string; id?: string }[] = [];
  const ctx: RunContext = {
    display: (data: Mime, id?: string) => void shown.push({ text: String(data["text/plain"]), ...(id ? { id } : {}) }),
    metric() {}, param() {}, random: Math.random, seed: () => 1,
  };
  return { ctx, shown };
}

async function withThreshold<T>(mb: string, fn: () => Promise<T>): Promise<T> {
  process.env.MLNB_READ_PROGRESS_MB = mb;
  try {
    return await fn();
  } finally {
    delete process.env.MLNB_READ_PROGRESS_MB;
  }
}

test("read.csv of a file over the threshold ends its progress display with the file, its size and every row", async () => {
  const { ctx, shown } = capture();
  const t = await withThreshold("1", () => withContext(ctx, async () => read.csv(csv)));
  assert.equal(t.numRows(), ROWS);
  assert.ok(shown.length >= 1);
  assert.equal(new Set(shown.map((s) => s.id)).size, 1, "one display, updated in place");
  assert.match(shown.at(-1)!.text, /^read\.csv .*big\.csv {2}[\d.]+ MB {2}200,000 rows in [\d.]+ s$/);
});

test("a file under the threshold reads without any progress display", async () => {
  const { ctx, shown } = capture();
  await withThreshold("64", () => withContext(ctx, async () => read.csv(csv)));
  assert.deepEqual(shown, []);
});

test("progress updates give bytes of the total with a percentage and rows, at most one per interval", async () => {
  const { ctx, shown } = capture();
  await withThreshold("0", () => withContext(ctx, async () => {
    const p = readProgress("read.csv", "data/x.csv", 4 * 2 ** 20, 0);
    p.update(2 ** 20, 1500);
    p.update(3 * 2 ** 20, 4000);
    const slow = readProgress("read.csv", "data/y.csv", 4 * 2 ** 20, 60_000);
    slow.update(2 ** 20, 10);
    p.done(5000);
  }));
  assert.match(shown[0]!.text, /^read\.csv data\/x\.csv {2}1\.0 MB \/ 4\.0 MB \(25%\) {2}1,500 rows {2}[\d,]+ rows\/s \.\.\.$/);
  assert.match(shown[1]!.text, /3\.0 MB \/ 4\.0 MB \(75%\) {2}4,000 rows/);
  assert.match(shown[2]!.text, /^read\.csv data\/x\.csv {2}4\.0 MB {2}5,000 rows in /);
  assert.equal(shown.length, 3, "the throttled reader showed nothing within its interval");
});

test("streamed batches of a large file report their rows when the pass ends", async () => {
  const { ctx, shown } = capture();
  let rows = 0;
  await withThreshold("1", () => withContext(ctx, async () => {
    const r = await read.csv(csv, { stream: true, batchRows: 50_000 });
    for await (const b of r) rows += b.numRows();
  }));
  assert.equal(rows, ROWS);
  assert.match(shown.at(-1)!.text, /^read\.csv .*big\.csv {2}[\d.]+ MB {2}200,000 rows in/);
});

test("mlnb run prints a large read's progress as lines when its output is not a terminal", () => {
  const nb = join(dir, "reads.mlnb");
  writeFileSync(nb, serializeNotebook({
    metadata: {},
    cells: [{ kind: "code", language: "typescript", source: `import { read } from "mlnb";\nconst t = await read.csv("big.csv");\nt.numRows()`, outputs: [], executionCount: null, metadata: {} }],
  }));
  const r = spawnSync(process.execPath, [BIN, "run", nb, "--type-check", "off", "--no-write"], { encoding: "utf8", cwd: dir, env: { ...process.env, MLNB_STORE: join(dir, ".mlnb"), MLNB_READ_PROGRESS_MB: "1" } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^read\.csv big\.csv {2}[\d.]+ MB {2}200,000 rows in [\d.]+ s$/m);
  assert.match(r.stdout, /^200000$/m);
});
