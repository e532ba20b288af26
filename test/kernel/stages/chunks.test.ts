// Tests that a table part kept as pieces hashes, stores and reads back exactly as its joined bytes would.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as aq from "arquero";
import { tableToArrowChunks, tableToArrowIPC } from "../../../kernel/stages/codecs/arrowStrings.js";
import { chunkedPart, concatChunks } from "../../../kernel/stages/codecs/chunks.js";
import { createCodecRegistry, isEncoded } from "../../../kernel/stages/codecs/index.js";
import { createBlobStore } from "../../../kernel/stages/store/blobs.js";
import { storeOutput } from "../../../kernel/stages/store/outputs.js";
import { writeFileAtomic } from "../../../kernel/notebook/write.js";
import { mulberry32 } from "../../../kernel/ml/context.js";

const dir = mkdtempSync(join(tmpdir(), "mlnb-chunks-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const hex = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

function table(rows: number): aq.ColumnTable {
  const r = mulberry32(5);
  return aq.table({
    x: Float64Array.from({ length: rows }, () => r()),
    k: Int32Array.from({ length: rows }, () => Math.floor(r() * 9)),
    species: Array.from({ length: rows }, () => ["Adelie", "Gentoo", "Chinstrap"][Math.floor(r() * 3)]!),
    id: Array.from({ length: rows }, (_, i) => (i % 97 === 0 ? null : `row-${i}${i % 5 === 0 ? "é" : ""}`)),
  });
}

test("a table's Arrow pieces join into the bytes of arquero's toArrowIPC, and the codec hashes them as those bytes", async () => {
  const t = table(5000);
  const pieces = tableToArrowChunks(t);
  assert.ok(pieces.length > 5);
  const joined = concatChunks(pieces);
  assert.equal(Buffer.compare(Buffer.from(joined), Buffer.from(aq.toArrowIPC(t, { format: "stream" }))), 0);
  assert.equal(Buffer.compare(Buffer.from(joined), Buffer.from(tableToArrowIPC(t))), 0);
  const encoded = await createCodecRegistry().encode(t);
  assert.ok(isEncoded(encoded));
  const part = encoded.parts[0]!;
  assert.ok(part.pieces && part.pieces.length > 1);
  assert.equal(encoded.partHashes[0], hex(part.bytes));
  assert.equal(encoded.size, part.bytes.byteLength);
});

test("a stored table part is one blob file holding the joined bytes under their hash, and decodes to the same rows", async () => {
  const codecs = createCodecRegistry();
  const t = table(20_000);
  const encoded = await codecs.encode(t);
  assert.ok(isEncoded(encoded));
  const blobs = createBlobStore(join(dir, "blobs"));
  const record = storeOutput(blobs, "t", encoded);
  const stored = blobs.get(record.parts[0]!.hash);
  assert.equal(record.parts[0]!.hash, hex(stored));
  assert.equal(record.parts[0]!.size, stored.byteLength);
  assert.equal(Buffer.compare(Buffer.from(stored), Buffer.from(encoded.parts[0]!.bytes)), 0);
  const back = (await codecs.decode({ kind: encoded.kind, meta: encoded.meta, parts: [{ name: "table.arrow", bytes: stored }] })) as aq.ColumnTable;
  assert.deepEqual(back.objects({ limit: 200 }), t.objects({ limit: 200 }));
});

test("writeFileAtomic writes pieces in order, empty ones and more than 1,024 of them included", () => {
  const pieces = Array.from({ length: 2500 }, (_, i) => new Uint8Array(i % 7 === 0 ? 0 : (i % 13) + 1).fill(i % 251));
  const path = join(dir, "pieces.bin");
  writeFileAtomic(path, pieces);
  assert.equal(Buffer.compare(readFileSync(path), Buffer.from(concatChunks(pieces))), 0);
  const part = chunkedPart("p", pieces);
  assert.equal(part.bytes, part.bytes, "joined once and kept");
  assert.equal(part.bytes.byteLength, pieces.reduce((n, p) => n + p.byteLength, 0));
});
