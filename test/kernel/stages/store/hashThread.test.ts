// Tests of hashing a blob on the hash thread: the same sha256 and bytes as hashing here, blob after blob, through errors, concurrent writes and a thread that stops.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { lazyBytes, materialize, type Piece } from "../../../../kernel/stages/codecs/chunks.js";
import { hashToTemp, stopHashThread } from "../../../../kernel/stages/store/hashThread.js";
import { mulberry32 } from "../../../../kernel/ml/context.js";

const dir = mkdtempSync(join(tmpdir(), "mlnb-hashthread-"));
after(async () => {
  await stopHashThread();
  rmSync(dir, { recursive: true, force: true });
});
const hex = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const temps = () => readdirSync(dir).filter((f) => f.startsWith(".tmp-"));

/** Lazy bytes of `size` from a seeded generator, made a window at a time (a window's first bytes: `hook`). */
function lazyRandom(size: number, seed: number, hook?: (window: number) => void) {
  return lazyBytes((size + 7) & ~7, () => {
    const r = mulberry32(seed);
    let left = size;
    let window = 0;
    return (into) => {
      hook?.(window++);
      const n = Math.min(into.byteLength, left);
      for (let i = 0; i < n; i++) into[i] = (r() * 256) | 0;
      left -= n;
      return n;
    };
  });
}

/** Pieces as a table's Arrow IPC has them: small headers, columns of odd sizes, lazy strings larger than a window. */
function pieces(seed: number): Piece[] {
  const r = mulberry32(seed);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => (r() * 256) | 0);
  return [bytes(3), bytes(2_500_001), new Uint8Array(0), bytes(8), lazyRandom(1_300_000, seed), bytes(5), lazyRandom(3 << 20, seed + 1), bytes(1 << 20), lazyRandom(12, seed + 2)];
}

test("blob after blob, the hash thread gives the sha256 and the bytes of the pieces joined", async () => {
  for (const seed of [1, 2, 3]) {
    const ps = pieces(seed);
    const want = Buffer.concat(materialize(ps));
    const { file, hash } = await hashToTemp(dir, ps);
    assert.equal(hash, hex(want), `seed ${seed}`);
    assert.equal(Buffer.compare(readFileSync(file.temp), want), 0, `seed ${seed}: the file holds the pieces' bytes`);
    file.discard();
  }
  assert.deepEqual(temps(), []);
});

test("a piece that fails midway rejects, removes its temp file, and leaves nothing of it in the next blob's hash", async () => {
  const failing = [new Uint8Array(100).fill(1), lazyRandom(4 << 20, 9, (w) => { if (w === 2) throw new Error("the column changed"); })];
  await assert.rejects(hashToTemp(dir, failing), /the column changed/);
  assert.deepEqual(temps(), []);
  const ps = pieces(4);
  const { file, hash } = await hashToTemp(dir, ps);
  file.discard();
  assert.equal(hash, hex(Buffer.concat(materialize(ps))));
});

test("two blobs written at once both get their own hash (the second is hashed on the calling thread)", async () => {
  const a = pieces(5);
  const b = pieces(6);
  const [x, y] = await Promise.all([hashToTemp(dir, a), hashToTemp(dir, b)]);
  assert.equal(x.hash, hex(Buffer.concat(materialize(a))));
  assert.equal(y.hash, hex(Buffer.concat(materialize(b))));
  x.file.discard();
  y.file.discard();
});

test("a hash thread that stops under a write fails no write: the blob is written again with the hash made here", async () => {
  let stopped = false;
  const ps: Piece[] = [new Uint8Array(64).fill(3), lazyRandom(6 << 20, 11, (w) => { if (w === 1 && !stopped) { stopped = true; void stopHashThread(); } })];
  const { file, hash } = await hashToTemp(dir, ps);
  assert.ok(stopped);
  const want = Buffer.concat(materialize(ps));
  assert.equal(hash, hex(want));
  assert.equal(Buffer.compare(readFileSync(file.temp), want), 0);
  file.discard();
  // and the next write starts a new thread
  const next = pieces(7);
  const again = await hashToTemp(dir, next);
  again.file.discard();
  assert.equal(again.hash, hex(Buffer.concat(materialize(next))));
  assert.deepEqual(temps(), []);
});
