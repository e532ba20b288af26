// Writes a file so that readers see the old bytes or the new ones, never half of them.
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync, writevSync } from "node:fs";
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
