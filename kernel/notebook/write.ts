// Writes a file so that readers see the old bytes or the new ones, never half of them.
import { randomBytes } from "node:crypto";
import { close, closeSync, fsyncSync, openSync, renameSync, unlink, unlinkSync, writeSync, writev, writevSync } from "node:fs";
import { basename, dirname, join } from "node:path";

export interface AtomicWriteOptions {
  /** File mode of a new file (default 0o644). */
  mode?: number;
  /**
   * fsync the file before the rename and the folder after it (default true), so the new bytes
   * survive a power loss. Without it a process crash still leaves the old file or the whole new
   * one (rename is atomic and the page cache is shared), but after a power loss the new name may
   * hold fewer bytes: only for files whose readers check their content (store blobs, see blobs.ts).
   */
  sync?: boolean;
}

/**
 * Write `data` to a fresh temp file beside `path`, fsync it, rename it over `path`, and fsync
 * the folder: a crash at any moment leaves the old file or the new one (notebooks, exports).
 * `data` may be consecutive byte pieces: they are written with writev, never concatenated.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array | readonly Uint8Array[], options: AtomicWriteOptions = {}): void {
  const { mode = 0o644, sync = true } = options;
  const folder = dirname(path);
  // ".tmp-" first: the run store sweeps leftovers of that name (after a crash) from its folders.
  const temp = join(folder, `.tmp-${process.pid}-${randomBytes(6).toString("hex")}-${basename(path)}`);
  const fd = openSync(temp, "wx", mode);
  try {
    if (typeof data === "string" || data instanceof Uint8Array) writeAll(fd, typeof data === "string" ? Buffer.from(data) : data);
    else writePieces(fd, data);
    if (sync) fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(temp);
    throw e;
  }
  closeSync(fd);
  renameSync(temp, path);
  if (sync) syncDir(folder);
}

/** A temp file being written from libuv's thread pool (see `writeTempAsync`). */
export interface TempWrite {
  /** The temp file's path (".tmp-" first, beside where it will be renamed to). */
  readonly temp: string;
  /** Wait for every piece to be written, then rename the temp file to `path` (same filesystem: atomic). */
  commit(path: string): Promise<void>;
  /** Wait for the writes, then remove the temp file (its bytes are not wanted after all). */
  discard(): Promise<void>;
}

/**
 * Start writing byte pieces to a fresh temp file in `folder` from libuv's thread pool and return
 * at once, so this thread can work meanwhile (the blob store hashes the same pieces while they
 * go to the file). The pieces must not change until `commit` or `discard` settles. Never
 * fsynced: only for files whose readers check their content (blobs.ts says why). On a write
 * error the temp file is removed and `commit` rejects with the error.
 */
export function writeTempAsync(folder: string, pieces: readonly Uint8Array[], name = "blob"): TempWrite {
  const temp = join(folder, `.tmp-${process.pid}-${randomBytes(6).toString("hex")}-${name}`);
  const fd = openSync(temp, "wx", 0o644);
  const written = writePiecesAsync(fd, pieces.filter((p) => p.byteLength > 0)).then(
    () => new Promise<void>((ok, fail) => close(fd, (e) => (e ? fail(e) : ok()))),
    (e: Error) => new Promise<never>((_, fail) => close(fd, () => unlink(temp, () => fail(e)))),
  );
  // the caller's `commit` or `discard` reports a failure; until then it must not be "unhandled"
  written.catch(() => undefined);
  return {
    temp,
    async commit(path) {
      await written;
      renameSync(temp, path);
    },
    async discard() {
      await written;
      unlinkSync(temp);
    },
  };
}

/** writev of the pieces from the thread pool, 1,024 at a time (IOV_MAX); a short write goes on from where it stopped. */
async function writePiecesAsync(fd: number, pieces: Uint8Array[]): Promise<void> {
  const writevAsync = (batch: Uint8Array[]) => new Promise<number>((ok, fail) => writev(fd, batch, (e, n) => (e ? fail(e) : ok(n))));
  let queue = pieces;
  while (queue.length) {
    const batch = queue.slice(0, 1024);
    let n = await writevAsync(batch);
    if (n === 0) throw new Error(`writev wrote nothing to ${batch.length} pieces`);
    const rest = queue.slice(batch.length);
    // drop what was written; a piece written in part goes on from where it stopped
    let i = 0;
    while (i < batch.length && n >= batch[i]!.byteLength) n -= batch[i++]!.byteLength;
    queue = i < batch.length ? [batch[i]!.subarray(n), ...batch.slice(i + 1), ...rest] : rest;
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.byteLength) offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
}

/** writev of the pieces, 1,024 at a time (IOV_MAX); a short write finishes the piece it stopped in and goes on. */
function writePieces(fd: number, pieces: readonly Uint8Array[]): void {
  for (let i = 0; i < pieces.length; ) {
    const batch = pieces.slice(i, i + 1024).filter((p) => p.byteLength > 0);
    const total = batch.reduce((n, p) => n + p.byteLength, 0);
    let written = total ? writevSync(fd, batch as NodeJS.ArrayBufferView[]) : 0;
    i += Math.min(1024, pieces.length - i);
    if (written === total) continue;
    for (const p of batch) {
      if (written >= p.byteLength) { written -= p.byteLength; continue; }
      writeAll(fd, p.subarray(written));
      written = 0;
    }
  }
}

/** fsync a directory so the rename itself survives a power loss (not possible on every platform). */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Windows cannot open directories; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
