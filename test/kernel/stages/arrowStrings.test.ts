// Tests that the bulk string encoder writes the same Arrow IPC bytes as arquero's toArrowIPC (so stored hashes do not change).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as aq from "arquero";
import { utf8 } from "@uwdata/flechette";
import { tableToArrowIPC } from "../../../kernel/stages/codecs/arrowStrings.js";
import { mulberry32 } from "../../../kernel/ml/context.js";

function same(table: aq.ColumnTable, types: Record<string, ReturnType<typeof utf8>>, what: string): void {
  const want = aq.toArrowIPC(table, { format: "stream", types });
  const got = tableToArrowIPC(table, types);
  assert.equal(Buffer.compare(Buffer.from(got), Buffer.from(want)), 0, `${what}: ${got.byteLength} bytes vs arquero's ${want.byteLength}`);
}

const WORDS = ["", "a", "Adelie", "é", "日本", "😀", "x\u0000y", "\ud800", "lone\udc00", "\udbff", "mixed😀é", null, undefined];

test("writes arquero's bytes for random string columns, as dictionaries and as utf8", () => {
  const r = mulberry32(16);
  for (let n = 0; n < 300; n++) {
    const rows = [1, 2, 7, 8, 9, 63, 64, 65, 500][n % 9]!;
    const pick = () => WORDS[Math.floor(r() * (n % 3 === 0 ? 3 : WORDS.length))];
    const cols: Record<string, unknown[]> = {
      s: Array.from({ length: rows }, pick),
      t: Array.from({ length: rows }, (_, i) => (r() < 0.1 ? null : `id-${i}-${pick() ?? ""}`)),
      x: Array.from({ length: rows }, () => r()),
    };
    const table = aq.table(cols);
    same(table, {}, `case ${n} inferred`);
    same(table, { t: utf8(), s: utf8() }, `case ${n} utf8`);
  }
});

test("writes arquero's bytes for dictionaries of up to 256 categories and past it, missing values included", () => {
  const r = mulberry32(61);
  for (const kinds of [9, 255, 256, 257, 1000]) {
    // every category first seen in order, then random ones; the 257th first appears after some nulls
    const s: (string | null | undefined)[] = Array.from({ length: 3000 }, (_, i) => (i < kinds ? `c${i}` : r() < 0.05 ? null : `c${Math.floor(r() * kinds)}`));
    s.splice(kinds - 1, 0, null, undefined);
    same(aq.table({ s }), {}, `${kinds} categories`);
  }
});

test("falls back to arquero for mixed, all-missing, filtered and ordered columns with the same bytes", () => {
  const mixed = aq.table({ m: ["a", 1, null], k: [1, 2, 3] });
  assert.throws(() => aq.toArrowIPC(mixed), /Mixed types/);
  assert.throws(() => tableToArrowIPC(mixed), /Mixed types/);
  same(aq.table({ m: [null, null, undefined] }), {}, "all missing");
  const t = aq.table({ s: ["b", "a", "c", "a"], v: [1, 2, 3, 4] });
  same(t.filter((d: any) => d.v > 1), {}, "filtered");
  same(t.orderby("s"), {}, "ordered");
  same(aq.table({ s: [] as string[] }), {}, "empty");
});

test("writes arquero's bytes for the example data sets", () => {
  for (const file of ["penguins.json", "cars.json", "gapminder.json", "flights-2k.json"]) {
    const table = aq.from(JSON.parse(readFileSync(`node_modules/vega-datasets/data/${file}`, "utf8")));
    same(table, {}, file);
    const strings = Object.fromEntries(table.columnNames().filter((c) => typeof table.get(c, 0) === "string").map((c) => [c, utf8()]));
    same(table, strings, `${file} utf8`);
  }
  const weather = readFileSync("node_modules/vega-datasets/data/seattle-weather.csv", "utf8");
  same(aq.fromCSV(weather), {}, "seattle-weather.csv");
});
