// Streams a blob's pieces to a temp file from libuv's thread pool while this thread hashes them; lazy pieces go through a ring of reused scratch buffers.
//
// A byte piece (a numeric column, a message header) is written as it is, with positioned
// writev; a lazy piece (string bytes, offsets, dictionary keys: codecs/chunks.ts) is made window
// by window into one of a few 1 MB scratch buffers, which the thread pool writes while the next
// window is made and hashed. The buffers are kept for the process: on the VMs measured here the
// first touch of fresh memory cost about as much as encoding the table.
// `openTemp` is the temp file both this loop and the hash thread's (hashThread.ts) write through.
import { randomBytes } from "node:crypto";
import { close, openSync, renameSync, unlink, unlinkSync, writev } from "node:fs";
import { join } from "node:path";
import { checkWindow, isLazy, type Piece } from "../codecs/chunks.js";

/** A temp file whose pieces are all written and were all handed to `each` (see `streamToTemp`). */
export interface TempFile {
  /** The temp file's path (".tmp-" first: the store sweeps leftovers of that name). */
  readonly temp: string;
  /** Rename the temp file to `path` (same filesystem: atomic). */
  commit(path: string): void;
  /** Remove the temp file (its bytes are not wanted after all). */
  discard(): void;
}

/** A fresh temp file being written from the thread pool (see `openTemp`). */
export interface TempWriter {
  readonly temp: string;
  /** writev of every byte of `buffers` at `position` on the thread pool; the buffers must not change until it resolves. */
  write(buffers: Uint8Array[], position: number): Promise<void>;
  /** Wait for every write, close the file and hand it over. */
  finish(): Promise<TempFile>;
  /** Wait for every write to end (no write may still use a buffer after this), close and remove the file. */
  abort(): Promise<void>;
}

const WINDOW = 1 << 20;
const RING = 4;
// batches of byte pieces go out once they hold this much (small headers ride with the next column)
const BATCH = 1 << 20;
// rings of scratch buffers not in use; a writer takes one (or makes one) and gives it back
const rings: Uint8Array[][] = [];

/** writev at `position` of every byte of `buffers`, going on after a short write. */
async function pwritevAll(fd: number, buffers: Uint8Array[], position: number): Promise<void> {
  let queue = buffers;
  while (queue.length) {
    const batch = queue.slice(0, 1024);
    let n = await new Promise<number>((ok, fail) => writev(fd, batch, position, (e, k) => (e ? fail(e) : ok(k))));
    if (n === 0) throw new Error(`writev wrote nothing to ${batch.length} pieces`);
    position += n;
    let i = 0;
    while (i < batch.length && n >= batch[i]!.byteLength) n -= batch[i++]!.byteLength;
    queue = [...(i < batch.length ? [batch[i]!.subarray(n), ...batch.slice(i + 1)] : []), ...queue.slice(batch.length)];
  }
}

/** Create a fresh temp file in `folder` (named `.tmp-<pid>-<random>-<name>`) to write from the thread pool. */
export function openTemp(folder: string, name = "blob"): TempWriter {
  const temp = join(folder, `.tmp-${process.pid}-${randomBytes(6).toString("hex")}-${name}`);
  const fd = openSync(temp, "wx", 0o644);
  const writes: Promise<void>[] = [];
  return {
    temp,
    write(buffers, position) {
      const p = pwritevAll(fd, buffers, position);
      // awaited in finish/abort (or by the caller); one that fails meanwhile is not an unhandled rejection
      p.catch(() => {});
      writes.push(p);
      return p;
    },
    async finish() {
      try {
        await Promise.all(writes);
      } catch (e) {
        await this.abort();
        throw e;
      }
      await new Promise<void>((ok, fail) => close(fd, (e) => (e ? fail(e) : ok())));
      return { temp, commit: (path) => renameSync(temp, path), discard: () => unlinkSync(temp) };
    },
    async abort() {
      await Promise.allSettled(writes);
      await new Promise<void>((ok) => close(fd, () => unlink(temp, () => ok())));
    },
  };
}

/**
 * Write `pieces` in order to a fresh temp file in `folder` from the thread pool, calling `each`
 * with every window of bytes on this thread once its write is under way (the blob store hashes
 * them meanwhile). Resolves when every write is done; on an error (a write, or `each` throwing)
 * the temp file is removed and the promise rejects with it. Byte pieces must not change until then.
 */
export async function streamToTemp(folder: string, pieces: readonly Piece[], each: (bytes: Uint8Array) => void, options: { name?: string; window?: number } = {}): Promise<TempFile> {
  const { name = "blob", window: size = WINDOW } = options;
  const file = openTemp(folder, name);
  // another window size (tests) gets its own ring, not kept
  const ring = (size === WINDOW ? rings.pop() : undefined) ?? Array.from({ length: RING }, () => new Uint8Array(size));
  const keep = () => void (size === WINDOW && rings.push(ring));
  const busy: (Promise<void> | undefined)[] = [];
  let pos = 0;
  let batch: Uint8Array[] = [];
  let batchAt = 0;
  let batchBytes = 0;
  const flush = () => {
    if (!batch.length) return;
    void file.write(batch, batchAt);
    batch = [];
    batchBytes = 0;
  };
  try {
    checkWindow(ring[0]!);
    let slot = 0;
    for (const p of pieces) {
      if (!isLazy(p)) {
        if (!p.byteLength) continue;
        if (!batch.length) batchAt = pos;
        batch.push(p);
        batchBytes += p.byteLength;
        pos += p.byteLength;
        if (batchBytes >= BATCH) flush();
        each(p);
        continue;
      }
      flush();
      const next = p.open();
      for (;;) {
        const buf = ring[slot]!;
        await busy[slot];
        const n = next(buf);
        if (n === 0) break;
        const window = buf.subarray(0, n);
        busy[slot] = file.write([window], pos);
        pos += n;
        slot = (slot + 1) % RING;
        each(window);
      }
    }
    flush();
  } catch (e) {
    // no write may still use the file or the ring when it is closed and reused
    await file.abort();
    keep();
    throw e;
  }
  try {
    return await file.finish();
  } finally {
    keep();
  }
}
