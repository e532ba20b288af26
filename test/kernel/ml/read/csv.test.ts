// Tests for read.csv/tsv: typed columns and dates on real data, quoting, chunk edges, errors with line and column, inputs registry.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as aq from "arquero";
import { read, inputsRead, resetInputs, ReadError } from "../../../../kernel/ml/read/index.js";
import { lineageOf } from "../../../../kernel/ml/lineage.js";

const dir = mkdtempSync(join(tmpdir(), "mlnb-csv-"));
const file = (name: string, text: string | Buffer): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const SEATTLE = "node_modules/vega-datasets/data/seattle-weather.csv";

test("reads seattle-weather with number, date and string columns equal to arquero's fromCSV", async () => {
  const t = await read(SEATTLE);
  const ref = aq.fromCSV(readFileSync(SEATTLE, "utf8"));
  assert.equal(t.numRows(), 1461);
  assert.deepEqual(t.columnNames(), ref.columnNames());
  assert.ok(t.column("precipitation") instanceof Float64Array);
  for (const c of ["precipitation", "temp_max", "temp_min", "wind"]) assert.deepEqual(Array.from(t.array(c) as number[]), ref.array(c));
  assert.deepEqual(t.array("weather"), ref.array("weather"));
  assert.deepEqual((t.array("date") as Date[]).map((d) => d.toISOString()), (ref.array("date") as Date[]).map((d) => d.toISOString()));
  assert.equal((t.get("date", 0) as Date).toISOString(), "2012-01-01T00:00:00.000Z");
  assert.equal(t.filter((d: any) => d.weather === "sun").numRows(), ref.filter((d: any) => d.weather === "sun").numRows());
});

test("handles quotes, escaped quotes, embedded newlines, CRLF, a BOM and a missing final newline", async () => {
  const p = file("q.csv", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a,b,c\r\n1,"x, ""y""",\r\n2,"multi\nline",3.5\r\n3,plain,-2e3')]));
  const t = await read.csv(p);
  assert.deepEqual(t.columnNames(), ["a", "b", "c"]);
  assert.deepEqual(t.array("b"), ['x, "y"', "multi\nline", "plain"]);
  assert.deepEqual(Array.from(t.array("c") as number[]), [NaN, 3.5, -2000]);
});

test("parses rows that straddle the 4 MB read chunks", async () => {
  const lines = ["id,text,value"];
  for (let i = 0; i < 120_000; i++) lines.push(`${i},"row ${i}, with ""quotes""\nand a newline",${i / 8}`);
  const t = await read.csv(file("big.csv", lines.join("\n") + "\n"));
  assert.equal(t.numRows(), 120_000);
  assert.equal(t.get("text", 99_999), 'row 99999, with "quotes"\nand a newline');
  assert.equal(t.get("value", 119_999), 119_999 / 8);
  assert.equal((t.array("id") as Float64Array).reduce((a, b) => a + b, 0), (119_999 * 120_000) / 2);
});

test("turns a column that stops being numeric after the sampled rows into text", async () => {
  const lines = ["k,v"];
  for (let i = 0; i < 3000; i++) lines.push(`${i},${i === 2500 ? "n/a-ish" : i}`);
  const t = await read.csv(file("late.csv", lines.join("\n")));
  assert.equal(t.get("v", 2500), "n/a-ish");
  assert.equal(t.get("v", 10), "10");
  assert.equal(t.get("k", 2500), 2500);
});

test("names the file, line and column of a row with the wrong number of fields", async () => {
  const p = file("bad.csv", "a,b\n1,2\n3,4,5\n");
  await assert.rejects(read.csv(p), (e: unknown) => e instanceof ReadError && e.line === 3 && /bad\.csv:3:\d+: expected 2 fields, got 3/.test(e.message));
});

test("names the line and column of an unterminated quote and of a value of the wrong forced type", async () => {
  await assert.rejects(read.csv(file("open.csv", 'a,b\n1,"never closed\n')), /open\.csv:2:3: unterminated quoted field/);
  await assert.rejects(read.csv(file("typed.csv", "a,b\n1,2\n3,x\n"), { types: { b: "number" } }), /typed\.csv:3:3: column "b": "x" is not a number/);
});

test("reads TSV and booleans, and headerless files with given names", async () => {
  const t = await read(file("t.tsv", "name\tok\nann\ttrue\nbo\tFALSE\n"));
  assert.deepEqual(t.array("ok"), [true, false]);
  const h = await read.csv(file("h.csv", "1,2\n3,4\n"), { header: false, names: ["x", "y"] });
  assert.deepEqual(Array.from(h.array("y") as number[]), [2, 4]);
});

test("records each file read with its sha256, relative to the working directory", async () => {
  resetInputs();
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const text = "x\n1\n2\n";
    writeFileSync(join(dir, "rel.csv"), text);
    const t = await read("rel.csv");
    assert.equal(t.numRows(), 2);
    const sha = createHash("sha256").update(text).digest("hex");
    assert.deepEqual(inputsRead(), [{ path: "rel.csv", sha256: sha, format: "csv", bytes: text.length }]);
    assert.equal(lineageOf(t)?.source?.sha256, sha);
  } finally {
    process.chdir(cwd);
  }
  resetInputs();
  assert.deepEqual(inputsRead(), []);
});

test("reports a missing file by name", async () => {
  await assert.rejects(read("no/such/file.csv"), /^ReadError: file not found: \/\S+\/no\/such\/file\.csv \(from "no\/such\/file\.csv", relative to the notebook folder\)$/);
});

test("reads a field longer than the read chunk", async () => {
  const long = "x".repeat(5 << 20);
  const t = await read.csv(file("long.csv", `a,b\n1,${long}\n2,short\n`));
  assert.equal((t.get("b", 0) as string).length, 5 << 20);
  assert.equal(t.get("b", 1), "short");
});

test("round-trips its dictionary and date columns through Arrow IPC", async () => {
  const t = await read(SEATTLE);
  const back = aq.fromArrow(t.toArrowIPC());
  assert.deepEqual(back.array("weather"), t.array("weather"));
  assert.equal((back.get("date", 1460) as Date).toISOString(), "2015-12-31T00:00:00.000Z");
});
