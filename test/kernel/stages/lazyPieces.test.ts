// Tests that a table's lazy pieces (string offsets, bytes, dictionary keys) made window by window hash and store as arquero's Arrow IPC bytes.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as aq from "arquero";
import { utf8 } from "@uwdata/flechette";
import { tableToArrowChunks } from "../../../kernel/stages/codecs/arrowStrings.js";
import { forEachWindow, isLazy, type Piece } from "../../../kernel/stages/codecs/chunks.js";
import { sha256 } from "../../../kernel/stages/codecs/hash.js";
import { createCodecRegistry, isEncoded } from "../../../kernel/stages/codecs/index.js";
import { createBlobStore } from "../../../kernel/stages/store/blobs.js";
import { encodeOutput, storeOutput } from "../../../kernel/stages/store/outputs.js";
import { streamToTemp } from "../../../kernel/stages/store/tempWrite.js";
import { mulberry32 } from "../../../kernel/ml/context.js";

const dir = mkdtempSync(join(tmpdir(), "mlnb-lazy-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const hex = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

// ASCII, Latin-1, CJK, emoji (4 bytes, a surrogate pair), lone surrogates (U+FFFD), empty strings and missing values
const WORDS = ["", "a", "Adelie", "é", "日本", "😀", "x\u0000y", "\ud800", "lone\udc00", "mixed😀é", null, undefined];

/** A table whose string columns cross window edges everywhere: short words, ids, and strings longer than a window. */
function mixed(rows: number, seed: number, long = 40): aq.ColumnTable {
  const r = mulberry32(seed);
  const pick = () => WORDS[Math.floor(r() * WORDS.length)];
  return aq.table({
    x: Float64Array.from({ length: rows }, () => r()),
    word: Array.from({ length: rows }, pick),
    id: Array.from({ length: rows }, (_, i) => (r() < 0.05 ? null : `id-${i}-${pick() ?? ""}`)),
    text: Array.from({ length: rows }, (_, i) => (i % 50 === 7 ? "😀é".repeat(long) : i % 3 === 0 ? "" : `t${i}`)),
  });
}

/** The bytes of pieces made through windows of `size` bytes, joined. */
function throughWindows(pieces: readonly Piece[], size: number): Buffer {
  const out: Buffer[] = [];
  forEachWindow(pieces, new Uint8Array(size), (b) => out.push(Buffer.from(b)));
  return Buffer.concat(out);
}

test("lazy string pieces made through windows of 8 bytes to 1 MB give arquero's toArrowIPC bytes, as dictionaries and as utf8", () => {
  for (const [n, rows] of [1, 2, 9, 64, 65, 700, 3000].entries()) {
    const table = mixed(rows, 20 + n);
    for (const types of [{}, { id: utf8(), text: utf8(), word: utf8() }] as Record<string, ReturnType<typeof utf8>>[]) {
      const want = Buffer.from(aq.toArrowIPC(table, { format: "stream", types }));
      const pieces = tableToArrowChunks(table, types);
      assert.ok(pieces.some(isLazy), `rows ${rows}: string columns are lazy pieces`);
      for (const size of [8, 16, 24, 64, 1000, 1 << 20]) {
        const got = throughWindows(pieces, size);
        assert.equal(Buffer.compare(got, want), 0, `rows ${rows}, ${Object.keys(types).length ? "utf8" : "dictionary"}, window ${size}: ${got.byteLength} bytes vs arquero's ${want.byteLength}`);
      }
      assert.equal(sha256(pieces), hex(want), `rows ${rows}: sha256 streams the lazy pieces as the joined bytes`);
    }
  }
});

test("the example data sets' lazy pieces made through 64-byte windows give arquero's bytes", () => {
  for (const file of ["penguins.json", "cars.json", "gapminder.json"]) {
    const table = aq.from(JSON.parse(readFileSync(`node_modules/vega-datasets/data/${file}`, "utf8")));
    const want = Buffer.from(aq.toArrowIPC(table, { format: "stream" }));
    assert.equal(Buffer.compare(throughWindows(tableToArrowChunks(table), 64), want), 0, file);
  }
});

test("a lazy piece made whole (chunks, bytes) equals the streamed bytes, and streaming it again gives them again", async () => {
  const table = mixed(2000, 5);
  const encoded = await createCodecRegistry().encode(table);
  assert.ok(isEncoded(encoded));
  const part = encoded.parts[0]!;
  assert.ok(part.pieces?.some(isLazy));
  const streamed = throughWindows(part.pieces!, 4096);
  assert.equal(Buffer.compare(throughWindows(part.pieces!, 4096), streamed), 0);
  assert.equal(Buffer.compare(Buffer.from(part.bytes), streamed), 0);
  assert.equal(encoded.partHashes[0], hex(streamed));
  assert.equal(encoded.size, streamed.byteLength);
});

test("streamToTemp writes lazy pieces through a ring of small windows in order, strings longer than a window included", async () => {
  const table = mixed(5000, 9, 300);
  const pieces = tableToArrowChunks(table, { id: utf8() });
  const want = Buffer.from(aq.toArrowIPC(table, { format: "stream", types: { id: utf8() } }));
  const h = createHash("sha256");
  let windows = 0;
  const file = await streamToTemp(dir, pieces, (b) => (h.update(b), windows++), { window: 4096 });
  assert.ok(windows > 30, `${windows} windows`);
  assert.equal(h.digest("hex"), hex(want));
  assert.equal(Buffer.compare(readFileSync(file.temp), want), 0);
  file.discard();
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith(".tmp-")), []);
});

test("a stage output with megabytes of strings is stored through the 1 MB windows under the hash and bytes of arquero's IPC", async () => {
  const rows = 300_000;
  const table = aq.table({
    n: Int32Array.from({ length: rows }, (_, i) => i),
    species: Array.from({ length: rows }, (_, i) => ["Adelie", "Gentoo", "Chinstrap"][i % 3]!),
    id: Array.from({ length: rows }, (_, i) => (i === 12_345 ? "é".repeat(700_000) : `row-${i}${i % 1000 === 0 ? "😀" : ""}`)),
  });
  const codecs = createCodecRegistry();
  const blobs = createBlobStore(join(dir, "big"));
  const encoded = await encodeOutput(blobs, codecs, table);
  assert.ok(isEncoded(encoded));
  const record = storeOutput(blobs, "t", encoded);
  const want = Buffer.from(aq.toArrowIPC(table, { format: "stream", types: { id: utf8() } }));
  assert.ok(want.byteLength > 4 << 20, `${want.byteLength} bytes: several windows`);
  assert.equal(record.parts[0]!.hash, hex(want));
  assert.equal(record.parts[0]!.size, want.byteLength);
  assert.equal(Buffer.compare(Buffer.from(blobs.get(record.parts[0]!.hash)), want), 0);
  assert.equal((await codecs.encode(table) as { hash: string }).hash, encoded.hash, "hashing alone and storing give one value hash");
});

test("a string column changed between sizing and making its bytes is an error naming it, not a blob of wrong bytes", async () => {
  const ids = Array.from({ length: 1000 }, (_, i) => `id-${i}`);
  const table = aq.table({ id: ids });
  const pieces = tableToArrowChunks(table, { id: utf8() });
  ids[500] = "a much longer id than before";
  assert.throws(() => sha256(pieces), /string column of the table changed while it was being stored/);
  const temps = () => readdirSync(dir).filter((f) => f.startsWith(".tmp-"));
  await assert.rejects(streamToTemp(dir, pieces, () => undefined), /changed while it was being stored/);
  assert.deepEqual(temps(), [], "the temp file is removed");
  // lengths moved between values, the total unchanged (the checksum of the lengths sees it); a value no longer a string
  for (const change of [(a: unknown[]) => ((a[10] = "id-10x"), (a[20] = "id-2")), (a: unknown[]) => (a[999] = 12345)]) {
    const values = Array.from({ length: 1000 }, (_, i) => `id-${i}`);
    const before = tableToArrowChunks(aq.table({ id: values }), { id: utf8() });
    change(values);
    assert.throws(() => sha256(before), /changed while it was being stored/);
  }
});

test("a dictionary column changed after it was encoded is stored as it was when encoded, with 3, 40 and 300 categories", () => {
  for (const kinds of [3, 40, 300]) {
    const species = Array.from({ length: 1000 }, (_, i) => `s${i % kinds}`);
    const want = hex(Buffer.from(aq.toArrowIPC(aq.table({ species: [...species] }), { format: "stream" })));
    const keyed = tableToArrowChunks(aq.table({ species }));
    species[700] = "a category the sizing did not see";
    species[3] = "s1";
    assert.equal(sha256(keyed), want, `${kinds} categories`);
  }
});
