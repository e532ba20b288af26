// Tests for the DuckDB readers (read.sql, read.sqlBatches, read.parquetBatches, read.csvBatches) on real files.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { read, inputsRead, resetInputs, ReadError } from "../../../../kernel/ml/read/index.js";

const ROOT = fileURLToPath(new URL(import.meta.url.includes("/out/") ? "../../../../../" : "../../../../", import.meta.url));
const FLIGHTS = join(ROOT, "node_modules", "vega-datasets", "data", "flights-3m.parquet");
const dir = mkdtempSync(join(tmpdir(), "mlnb-duck-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const csv = join(dir, "points.csv");
const rows = Array.from({ length: 2500 }, (_, i) => ({ id: i, x: (i % 50) / 10, g: i % 3 === 0 ? "a" : "b" }));
writeFileSync(csv, "id,x,g\n" + rows.map((r) => `${r.id},${r.x},${r.g}`).join("\n") + "\n");

test("read.sql aggregates a CSV file in SQL and records the file for the lock", async () => {
  resetInputs();
  const t = await read.sql(`select g, count(*) as n, sum(x) as sx from '${csv}' group by g order by g`);
  const want = ["a", "b"].map((g) => ({ g, n: rows.filter((r) => r.g === g).length, sx: rows.filter((r) => r.g === g).reduce((s, r) => s + r.x, 0) }));
  assert.deepEqual(t.columnNames(), ["g", "n", "sx"]);
  assert.deepEqual(t.array("g"), ["a", "b"]);
  assert.deepEqual(t.array("n"), want.map((w) => w.n));
  (t.array("sx") as number[]).forEach((v, i) => assert.ok(Math.abs(v - want[i]!.sx) < 1e-9));
  const input = inputsRead().find((i) => i.path.endsWith("points.csv"));
  assert.ok(input);
  assert.equal(input.sha256, createHash("sha256").update(readFileSync(csv)).digest("hex"));
});

test("read.sql over the 3M-row flights Parquet file counts every row", async () => {
  const t = await read.sql(`select count(*) as n, count(distinct origin) as origins from '${FLIGHTS}'`);
  assert.equal(t.get("n", 0), 3_000_000);
  assert.ok((t.get("origins", 0) as number) > 100);
});

test("read.sql refuses a result over maxRows and points to read.sqlBatches", async () => {
  await assert.rejects(read.sql(`select * from '${csv}'`, { maxRows: 1000 }), (e: unknown) => e instanceof ReadError && /more than 1000 rows \(maxRows\).*read\.sqlBatches/.test(e.message));
});

test("read.sql names the query on a SQL error", async () => {
  await assert.rejects(read.sql(`select nope from '${csv}'`), (e: unknown) => e instanceof ReadError && /nope/.test(e.message) && /in: select nope from/.test(e.message));
});

test("read.csvBatches streams batches of batchRows rows, the same rows on every pass", async () => {
  const batches = read.csvBatches(csv, { batchRows: 1000 });
  const pass = async () => {
    const sizes: number[] = [];
    const ids: number[] = [];
    for await (const b of batches) {
      sizes.push(b.numRows());
      ids.push(...(b.array("id") as number[]));
    }
    return { sizes, ids };
  };
  const first = await pass();
  // DuckDB hands over vectors of 2048 rows: a batch closes at the first vector boundary past batchRows
  assert.equal(first.ids.length, 2500);
  assert.ok(first.sizes.every((s) => s >= 1000 || s === first.sizes.at(-1)));
  assert.deepEqual(first.ids, rows.map((r) => r.id));
  assert.deepEqual(await pass(), first);
});

test("read.parquetBatches reads the flights file in batches without holding it whole", async () => {
  let n = 0;
  let batches = 0;
  for await (const b of read.sqlBatches(`select delay, distance from '${FLIGHTS}' limit 300000`, { batchRows: 100_000 })) {
    n += b.numRows();
    batches++;
    assert.deepEqual(b.columnNames(), ["delay", "distance"]);
  }
  assert.equal(n, 300_000);
  assert.ok(batches >= 3);
  assert.throws(() => read.parquetBatches(join(dir, "missing.parquet")), /file not found: \S+\/missing\.parquet$/);
});

test("read.sqlBatches gives number columns as Float64Arrays with NaN for missing values, text as strings", async () => {
  const batches = read.sqlBatches(`select id::BIGINT as id, case when id % 4 = 0 then null else x end as x, g from '${csv}' order by id`, { batchRows: 1000 });
  const ids: number[] = [];
  let nan = 0;
  for await (const b of batches) {
    const x = b.column("x");
    assert.ok(x instanceof Float64Array);
    assert.ok(b.column("id") instanceof Float64Array);
    ids.push(...(b.array("id") as number[]));
    nan += (x as Float64Array).filter((v) => Number.isNaN(v)).length;
    assert.equal(typeof b.get("g", 0), "string");
  }
  assert.deepEqual(ids, rows.map((r) => r.id));
  assert.equal(nan, rows.filter((r) => r.id % 4 === 0).length);
});
