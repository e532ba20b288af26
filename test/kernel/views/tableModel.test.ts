// Tests of table paging: column types and null counts, sorting, pages, payloads and the kernel's kept tables.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as aq from "arquero";
import { describeColumns, fromRecords, isRecordList, pageOf, sortOrder, tablePayload, toCell } from "../../../kernel/views/tableModel.js";
import { columnarOf, keepTable, KEPT_TABLES, liveTablePayload, tablePage } from "../../../kernel/views/tableRegistry.js";

const records = [
  { species: "Adelie", mass: 3750, sex: "male" },
  { species: "Gentoo", mass: null, sex: "female" },
  { species: "Chinstrap", mass: 3500, sex: null },
  { species: "Adelie", mass: 3250, extra: true },
];

test("reads a list of records as columns with every key any record has", () => {
  const t = fromRecords(records);
  assert.deepEqual(t.names, ["species", "mass", "sex", "extra"]);
  assert.equal(t.numRows, 4);
  assert.deepEqual(Array.from(t.columns[3]!), [undefined, undefined, undefined, true]);
  assert.equal(isRecordList(records), true);
  assert.equal(isRecordList([1, 2]), false);
  assert.equal(isRecordList([]), false);
  assert.equal(isRecordList([new Date()]), false);
});

test("counts nulls and names each column's type", () => {
  assert.deepEqual(describeColumns(fromRecords(records)), [
    { name: "species", type: "string", nulls: 0 },
    { name: "mass", type: "number", nulls: 1 },
    { name: "sex", type: "string", nulls: 2 },
    { name: "extra", type: "boolean", nulls: 3 },
  ]);
  assert.deepEqual(describeColumns(fromRecords([{ a: 1 }, { a: "x" }, { a: NaN }])), [{ name: "a", type: "mixed", nulls: 1 }]);
});

test("sorts stably with missing values last in both directions", () => {
  const t = fromRecords(records);
  assert.deepEqual(Array.from(sortOrder(t, { column: "mass" })), [3, 2, 0, 1]);
  assert.deepEqual(Array.from(sortOrder(t, { column: "mass", descending: true })), [0, 2, 3, 1]);
  assert.deepEqual(Array.from(sortOrder(t, { column: "species" })), [0, 3, 2, 1]);
  assert.throws(() => sortOrder(t, { column: "wings" }), /no column "wings" in the table \(columns: species, mass, sex, extra\)/);
});

test("pages through sorted rows and clamps the offset", () => {
  const t = fromRecords(records);
  const orders = new Map<string, Uint32Array>();
  assert.deepEqual(pageOf(t, { offset: 1, limit: 2, sort: { column: "mass", descending: true } }, orders), { offset: 1, numRows: 4, rows: [["Chinstrap", 3500, null, null], ["Adelie", 3250, null, true]], sort: { column: "mass", descending: true } });
  assert.deepEqual([...orders.keys()], ["-mass"]);
  assert.equal(pageOf(t, { offset: 99, limit: 2 }).offset, 3);
});

test("turns values into JSON-safe cells", () => {
  assert.deepEqual([toCell(new Date(Date.UTC(2026, 0, 2))), toCell(10n), toCell(Infinity), toCell({ a: [1] }), toCell(new Float32Array([1, 2]))], ["2026-01-02T00:00:00.000Z", "10", "Infinity", '{"a":[1]}', "[1,2]"]);
});

test("ships small tables whole and large ones as a first page with a ref", () => {
  const small = tablePayload(fromRecords(records));
  assert.equal(small.complete, true);
  assert.equal(small.rows.length, 4);
  assert.equal(small.ref, undefined);
  const big = aq.table({ i: Array.from({ length: 1_000_000 }, (_, i) => i), v: Array.from({ length: 1_000_000 }, (_, i) => (i % 10 === 0 ? null : (i * 7919) % 1000)) });
  const payload = liveTablePayload(big)!;
  assert.equal(payload.complete, false);
  assert.equal(payload.numRows, 1_000_000);
  assert.equal(payload.rows.length, 25);
  assert.deepEqual(payload.columns, [{ name: "i", type: "number", nulls: 0 }, { name: "v", type: "number", nulls: 100_000 }]);
  assert.ok(JSON.stringify(payload).length < 5_000, "a million rows ship as one page");
  const last = tablePage(payload.ref!, { offset: 999_990, limit: 25, sort: { column: "v", descending: true } });
  assert.equal(last.rows.length, 10);
  assert.deepEqual(last.rows.map((r) => r[1]), Array(10).fill(null));
  assert.deepEqual(tablePage(payload.ref!, { offset: 0, limit: 2, sort: { column: "v", descending: true } }).rows, [[321, 999], [1321, 999]]);
});

test("pages an arquero table as it is filtered and ordered", () => {
  const t = aq.table({ x: [5, 1, 4, 2, 3] }).filter((d: { x: number }) => d.x > 1).orderby("x");
  assert.deepEqual(Array.from(columnarOf(t)!.columns[0]!), [2, 3, 4, 5]);
});

test("forgets the oldest tables and says to run the cell again", () => {
  const first = keepTable(fromRecords(records));
  for (let i = 0; i < KEPT_TABLES; i++) keepTable(fromRecords(records));
  assert.throws(() => tablePage(first, { offset: 0, limit: 1 }), /the kernel no longer holds this table .* run its cell again/);
});
