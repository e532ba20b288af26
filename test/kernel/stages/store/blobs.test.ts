// Tests of the blob store's writes: pieces hashed while written land whole under their sha256, stored blobs are not rewritten, corrupt ones are removed.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import * as aq from "arquero";
import { mulberry32 } from "../../../../kernel/ml/context.js";
import { materialize, partPieces } from "../../../../kernel/stages/codecs/chunks.js";
import { createCodecRegistry, isEncoded } from "../../../../kernel/stages/codecs/index.js";
import { BlobError, createBlobStore } from "../../../../kernel/stages/store/blobs.js";
import { encodeOutput, storeOutput } from "../../../../kernel/stages/store/outputs.js";

const root = mkdtempSync(join(tmpdir(), "mlnb-blobs-"));
after(() => rmSync(root, { recursive: true, force: true }));
const hex = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
/** Every `.tmp-*` file left anywhere in a blob folder. */
const temps = (dir: string) => readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.split(/[\\/]/).pop()!.startsWith(".tmp-"));

test("write stores pieces as one blob holding their joined bytes under their sha256, and leaves no temp file", async () => {
  const blobs = createBlobStore(join(root, "write"));
  const pieces = [new Uint8Array([1, 2, 3]), new Uint8Array(0), new Uint8Array(70_000).fill(9), new Uint8Array([4])];
  const joined = Buffer.concat(pieces);
  const hash = await blobs.write(pieces);
  assert.equal(hash, hex(joined));
  assert.deepEqual(readFileSync(join(blobs.dir, hash.slice(0, 2), hash.slice(2))), joined);
  assert.deepEqual(temps(blobs.dir), []);
});

test("write does not rewrite a blob already stored: the file stays the same inode and its temp file is dropped", async () => {
  const blobs = createBlobStore(join(root, "dedup"));
  const pieces = [new Uint8Array(1000).fill(7), new Uint8Array(24).fill(1)];
  const hash = await blobs.write(pieces);
  const path = join(blobs.dir, hash.slice(0, 2), hash.slice(2));
  const first = statSync(path);
  assert.equal(await blobs.write(pieces), hash);
  assert.equal(blobs.put(Buffer.concat(pieces)), hash);
  assert.equal(statSync(path).ino, first.ino);
  assert.deepEqual(temps(blobs.dir), []);
});

test("a stage output encoded through the store has the hash and bytes codecs.encode gives, for a table with string columns", async () => {
  const r = mulberry32(3);
  const t = aq.table({
    x: Float64Array.from({ length: 30_000 }, () => r()),
    species: Array.from({ length: 30_000 }, () => ["Adelie", "Gentoo", "Chinstrap"][Math.floor(r() * 3)]!),
    id: Array.from({ length: 30_000 }, (_, i) => (i % 89 === 0 ? null : `id-${i}${i % 7 === 0 ? "ü" : ""}`)),
  });
  const codecs = createCodecRegistry();
  const blobs = createBlobStore(join(root, "table"));
  const plain = await codecs.encode(t);
  const stored = await encodeOutput(blobs, codecs, t);
  assert.ok(isEncoded(plain) && isEncoded(stored));
  assert.equal(stored.hash, plain.hash);
  assert.deepEqual(stored.partHashes, plain.partHashes);
  // the blob is in place before the record is written: storeOutput finds it and writes nothing new (a plain table has no lineage sidecar)
  assert.equal(stored.sidecar, undefined);
  const before = readdirSync(blobs.dir, { recursive: true }).length;
  const record = storeOutput(blobs, "t", stored);
  assert.equal(readdirSync(blobs.dir, { recursive: true }).length, before);
  assert.deepEqual(Buffer.from(blobs.get(record.parts[0]!.hash)), Buffer.concat(materialize(partPieces(plain.parts[0]!))));
});

test("reading a blob cut short (a power loss before its bytes reached the disk) removes it, and the next write stores it whole", async () => {
  const blobs = createBlobStore(join(root, "corrupt"));
  const bytes = new Uint8Array(50_000).map((_, i) => i % 251);
  const hash = await blobs.write([bytes]);
  const path = join(blobs.dir, hash.slice(0, 2), hash.slice(2));
  truncateSync(path, 4096);
  assert.throws(() => blobs.get(hash), (e: unknown) => e instanceof BlobError && /is corrupt .*removed/.test(e.message) && e.hash === hash);
  assert.equal(blobs.has(hash), false);
  assert.equal(await blobs.write([bytes]), hash);
  assert.deepEqual(blobs.get(hash), bytes);
});

test("sweepTemp removes temp files of dead writers in the store's folder and in the blob folders", async () => {
  const blobs = createBlobStore(join(root, "sweep"));
  const hash = await blobs.write([new Uint8Array([5, 6])]);
  const { writeFileSync } = await import("node:fs");
  writeFileSync(join(blobs.dir, ".tmp-1-aa-blob"), "half");
  writeFileSync(join(blobs.dir, hash.slice(0, 2), ".tmp-1-bb-x"), "half");
  assert.equal(blobs.sweepTemp(0), 2);
  assert.deepEqual(temps(blobs.dir), []);
  assert.ok(blobs.has(hash));
});
