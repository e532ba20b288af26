// Writes a file so that readers see the old bytes or the new ones, never half of them.
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * Write `data` to a fresh temp file beside `path`, fsync it, rename it over `path`, and fsync
 * the folder: a crash at any moment leaves the old file or the new one (notebooks, store blobs).
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): void {
  const folder = dirname(path);
  // ".tmp-" first: the run store sweeps leftovers of that name (after a crash) from its folders.
  const temp = join(folder, `.tmp-${process.pid}-${randomBytes(6).toString("hex")}-${basename(path)}`);
  const bytes = typeof data === "string" ? Buffer.from(data) : data;
  const fd = openSync(temp, "wx", mode);
  try {
    let offset = 0;
    while (offset < bytes.byteLength) offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(temp);
    throw e;
  }
  closeSync(fd);
  renameSync(temp, path);
  syncDir(folder);
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
