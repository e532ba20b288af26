// Tests for read.sqlite on a real SQLite file made with better-sqlite3.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { read, inputsRead, resetInputs } from "../../../../kernel/ml/read/index.js";

const dir = mkdtempSync(join(tmpdir(), "mlnb-sqlite-"));
const path = join(dir, "shop.sqlite");
const db = new Database(path);
db.exec("create table sales (id integer primary key, item text, qty integer, price real, sold text)");
const ins = db.prepare("insert into sales (item, qty, price, sold) values (?, ?, ?, ?)");
[["tea", 2, 3.5, "2024-01-02"], ["cake", 1, 4.25, "2024-01-03"], ["tea", 5, 3.5, null]].forEach((r) => ins.run(...r));
db.close();

test("returns a query's rows with the columns in select order", async () => {
  resetInputs();
  const t = await read.sqlite(path, "select item, sum(qty) as qty, max(price) as price from sales group by item order by item");
  assert.deepEqual(t.columnNames(), ["item", "qty", "price"]);
  assert.deepEqual(t.objects(), [{ item: "cake", qty: 1, price: 4.25 }, { item: "tea", qty: 7, price: 3.5 }]);
  assert.equal(inputsRead()[0].format, "sqlite");
  assert.match(inputsRead()[0].sha256, /^[0-9a-f]{64}$/);
});

test("binds positional and named parameters and keeps empty results' columns", async () => {
  const t = await read.sqlite(path, "select id, sold from sales where qty > ?", [1]);
  assert.deepEqual(t.array("sold"), ["2024-01-02", null]);
  const named = await read.sqlite(path, "select item from sales where price > @p", { p: 4 });
  assert.deepEqual(named.array("item"), ["cake"]);
  const none = await read.sqlite(path, "select item, qty from sales where qty > 100");
  assert.deepEqual([none.numRows(), none.columnNames()], [0, ["item", "qty"]]);
});

test("names the database and the query on a SQL error", async () => {
  await assert.rejects(read.sqlite(path, "select nope from sales"), /shop\.sqlite: SQL error: no such column: nope in: select nope from sales/);
  await assert.rejects(read.sqlite(join(dir, "missing.sqlite"), "select 1"), /^ReadError: file not found: \/\S+\/missing\.sqlite$/);
});
