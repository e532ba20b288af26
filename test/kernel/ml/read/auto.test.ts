// Tests for the table-or-batches switch of read.sql / read.csv / read.parquet, and read.sql on real SQLite files.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import type { ColumnTable } from "arquero";
import { read, inputsRead, resetInputs, ReadError, type TableBatches } from "../../../../kernel/ml/read/index.js";
import { lineageOf } from "../../../../kernel/ml/lineage.js";

const ROOT = fileURLToPath(new URL(import.meta.url.includes("/out/") ? "../../../../../" : "../../../../", import.meta.url));
const FLIGHTS = join(ROOT, "node_modules", "vega-datasets", "data", "flights-3m.parquet");
const dir = mkdtempSync(join(tmpdir(), "mlnb-auto-"));
after(() => rmSync(dir, { recursive: true, force: true }));

// a real SQLite file: 30,000 sales rows over 7 shops
const dbPath = join(dir, "sales.db");
const db = new Database(dbPath);
db.exec("create table sales (id integer primary key, shop text, qty integer, price real)");
const insert = db.prepare("insert into sales (shop, qty, price) values (?, ?, ?)");
db.transaction(() => {
  for (let i = 0; i < 30_000; i++) insert.run(`shop-${i % 7}`, (i * 13) % 10, ((i * 7) % 100) / 4);
})();
db.close();
const sales = Array.from({ length: 30_000 }, (_, i) => ({ id: i + 1, shop: `shop-${i % 7}`, qty: (i * 13) % 10, price: ((i * 7) % 100) / 4 }));

const csv = join(dir, "points.csv");
writeFileSync(csv, "id,x,g\n" + Array.from({ length: 5000 }, (_, i) => `${i},${(i % 50) / 10},${i % 3 ? "b" : "a"}`).join("\n") + "\n");

async function rowsOf(batches: TableBatches, column: string): Promise<{ values: unknown[]; sizes: number[] }> {
  const values: unknown[] = [];
  const sizes: number[] = [];
  for await (const b of batches) {
    sizes.push(b.numRows());
    values.push(...b.array(column));
  }
  return { values, sizes };
}

test("read.sql runs SQLite's SQL on a SQLite file, binds params and records the file for the lock", async () => {
  resetInputs();
  const t = await read.sql("select shop, sum(qty) as qty, count(*) as n from sales where price >= ? group by shop order by shop", { sqlite: dbPath, params: [10] });
  const want = new Map<string, { qty: number; n: number }>();
  for (const s of sales.filter((s) => s.price >= 10)) {
    const w = want.get(s.shop) ?? { qty: 0, n: 0 };
    w.qty += s.qty;
    w.n++;
    want.set(s.shop, w);
  }
  assert.deepEqual(t.objects(), [...want].sort(([a], [b]) => (a < b ? -1 : 1)).map(([shop, w]) => ({ shop, ...w })));
  const input = inputsRead().find((i) => i.path.endsWith("sales.db"));
  assert.equal(input?.format, "sqlite");
  assert.equal(input?.sha256, createHash("sha256").update(readFileSync(dbPath)).digest("hex"));
  assert.equal(lineageOf(t)?.source?.kind, "sqlite");
});

test("read.sql on a SQLite file with stream: \"auto\" returns batches past the memory budget, the same rows on every pass", async () => {
  const r = await read.sql("select id, shop from sales order by id", { sqlite: dbPath, stream: "auto", memoryBudget: 100_000, batchRows: 4000 });
  assert.ok(read.isBatches(r));
  const first = await rowsOf(r, "id");
  assert.deepEqual(first.values, sales.map((s) => s.id));
  assert.deepEqual(first.sizes, [4000, 4000, 4000, 4000, 4000, 4000, 4000, 2000]);
  assert.deepEqual((await rowsOf(r, "id")).values, first.values);
});

test("read.sql with stream: \"auto\" returns one table when the result fits the budget", async () => {
  const r = await read.sql("select id, price from sales where id <= 100", { sqlite: dbPath, stream: "auto", memoryBudget: 1e6 });
  assert.equal(read.isBatches(r), false);
  assert.deepEqual((r as ColumnTable).array("price"), sales.slice(0, 100).map((s) => s.price));
});

test("a plain read.sql over the memory budget is refused naming the file, the estimate and the budget", async () => {
  await assert.rejects(read.sql("select * from sales", { sqlite: dbPath, memoryBudget: 50_000 }), (e: unknown) =>
    e instanceof ReadError && /^.*sales\.db: read\.sql \([\d,]+ rows read so far\) would hold about [\d.]+ MB in memory, over the budget of 0\.0 MB: pass \{ stream: "auto" \}/.test(e.message));
});

test("read.sql on a SQLite file names the file and the query on bad SQL, and the file when it is missing", async () => {
  await assert.rejects(read.sql("select nope from sales", { sqlite: dbPath }), (e: unknown) => e instanceof ReadError && /sales\.db: SQL error: no such column: nope in: select nope from sales/.test(e.message));
  await assert.rejects(read.sql("select 1", { sqlite: join(dir, "missing.db") }), (e: unknown) => e instanceof ReadError && e.message === `file not found: ${join(dir, "missing.db")}`);
});

test("read.sql with stream: true over DuckDB gives the query's batches; params outside SQLite are refused", async () => {
  const r = await read.sql(`select id from '${csv}' order by id`, { stream: true, batchRows: 2048 });
  assert.deepEqual((await rowsOf(r, "id")).values, Array.from({ length: 5000 }, (_, i) => i));
  await assert.rejects(read.sql(`select 1`, { params: [1] }), /params are bound only in SQLite queries/);
});

test("read.csv with stream: \"auto\" streams a file over the budget with the values a whole read gives", async () => {
  const whole = await read.csv(csv);
  const r = await read.csv(csv, { stream: "auto", memoryBudget: 10_000, batchRows: 2048 });
  assert.ok(read.isBatches(r));
  assert.deepEqual((await rowsOf(r, "x")).values, [...whole.array("x")]);
  assert.deepEqual((await rowsOf(r, "g")).values, whole.array("g"));
  const fits = await read.csv(csv, { stream: "auto", memoryBudget: 10e6 });
  assert.equal(read.isBatches(fits), false);
  assert.deepEqual([...(fits as ColumnTable).array("x")], [...whole.array("x")]);
});

test("a plain read.csv over the budget is refused with the estimate, and stream: false still reads it whole", async () => {
  await assert.rejects(read.csv(csv, { memoryBudget: 10_000 }), (e: unknown) => e instanceof ReadError && /points\.csv: read\.csv would hold about [\d.]+ MB in memory, over the budget of 0\.0 MB/.test(e.message));
  assert.equal((await read.csv(csv, { stream: false, memoryBudget: 10_000 })).numRows(), 5000);
  await assert.rejects(read.csv(csv, { stream: true, types: { x: "string" } }), /types cannot be forced when streaming a CSV/);
});

test("read.parquet with stream: \"auto\" streams the 3M-row flights file over the budget, rows and columns as a whole read of the range", async () => {
  const opts = { columns: ["delay", "distance"], rowStart: 1000, rowEnd: 6000 };
  const r = await read.parquet(FLIGHTS, { ...opts, stream: "auto", memoryBudget: 1 << 20, batchRows: 2048 });
  assert.ok(read.isBatches(r));
  const whole = await read.parquet(FLIGHTS, { ...opts, stream: false });
  assert.equal(whole.numRows(), 5000);
  assert.deepEqual((await rowsOf(r, "delay")).values, [...whole.array("delay")]);
  assert.deepEqual((await rowsOf(r, "distance")).values, [...whole.array("distance")]);
});

test("a plain read.parquet of the flights file over the budget is refused before reading it, with the footer's estimate", async () => {
  await assert.rejects(read.parquet(FLIGHTS, { memoryBudget: 50 << 20 }), (e: unknown) => {
    const m = e instanceof ReadError && /flights-3m\.parquet: read\.parquet would hold about (\d+) MB in memory, over the budget of 50 MB/.exec(e.message);
    // the file (~21 MB) plus 3M rows of numbers and short strings: well over 100 MB
    return !!m && Number(m[1]) > 100;
  });
});

test("the memory budget comes from MLNB_MEMORY_BUDGET_MB and a bad value is named", async () => {
  process.env.MLNB_MEMORY_BUDGET_MB = "0.001";
  try {
    assert.ok(read.isBatches(await read.csv(csv, { stream: "auto" })));
    process.env.MLNB_MEMORY_BUDGET_MB = "lots";
    await assert.rejects(read.csv(csv, { stream: "auto" }), /MLNB_MEMORY_BUDGET_MB must be a positive number of megabytes, got "lots"/);
  } finally {
    delete process.env.MLNB_MEMORY_BUDGET_MB;
  }
  await assert.rejects(read.csv(csv, { stream: "sometimes" as never }), /stream must be true, false or "auto", got "sometimes"/);
});
