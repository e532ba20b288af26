// Content-addressed blob files `blobs/ab/cdef...`: written to a temp file, then renamed into place (no fsync: see below).
//
// A reader only ever opens a blob by its final name, and a final name appears only through
// rename(2) after every byte was written, so a process that dies at any moment (kill -9, a crash)
// leaves the whole blob or no blob; at worst a `.tmp-*` file that `sweepTemp` removes.
//
// Blobs are not fsynced. A power loss (or an OS crash) may leave a blob written in the last
// seconds shorter than its name says; every read checks the content against the name (`get`
// verifies by default), removes such a blob, and the stage executor then runs the stage again
// instead of restoring it, rewriting the blob. So a lost blob costs a re-run, never a wrong
// value. The run records say what ran: they stay durable (store.ts syncs the run's end).
// Measured here (2 shared cores, load 13-17): writing 50 MB took 32 ms into the page cache and
// 90 ms with fsync (medians of 7); for bench/stages.ts's 1M-row table with two string columns
// (49.9 MB), encode + hash took 127 ms of CPU, encode + hash + write with fsync 352 ms, without
// 261 ms: the fsync cost as much as encoding the table, to protect what a re-run rebuilds.
//
// `write` hashes pieces while libuv's thread pool writes them to the temp file, so the copy into
// the page cache overlaps the sha256; lazy pieces (a table's string columns) are made in reused
// scratch windows on the way, never in fresh memory. A blob with a window or more of them is
// hashed on a thread of its own, from shared windows, while this thread makes the next
// (hashThread.ts); a smaller one here (tempWrite.ts).
import { writeFileAtomic } from "../../notebook/write.js";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { sha256 } from "../codecs/hash.js";
import { materialize, type Piece } from "../codecs/chunks.js";
import { hashToTemp } from "./hashThread.js";

/** A blob whose bytes no longer match its name (disk corruption, manual edits). */
export class BlobError extends Error {
  constructor(message: string, readonly hash: string) {
    super(message);
    this.name = "BlobError";
  }
}

export interface BlobStore {
  readonly dir: string;
  /** Write bytes (or consecutive pieces of them, written with one writev) under their sha256 (computed when not given); a blob already present is not rewritten. Returns the hash. */
  put(bytes: Uint8Array | readonly Piece[], hash?: string): string;
  /**
   * Write pieces under their sha256, hashed on this thread while the thread pool writes them to a
   * temp file; the blob appears whole (rename) once both are done. A blob already present is not
   * rewritten (it is marked used and the temp file dropped). Returns the hash.
   */
  write(pieces: readonly Piece[]): Promise<string>;
  /**
   * The bytes of a blob; with `verify` (default) a blob whose content does not match its hash is
   * removed (so the next `put` writes it whole) and is an error.
   */
  get(hash: string, verify?: boolean): Uint8Array;
  has(hash: string): boolean;
  /** Whether a blob is stored, marking it used now (a cache hit about to restore it), so a concurrent `mlnb gc` keeps it. */
  touch(hash: string): boolean;
  /** Stored blobs with their size and when last written or used (epoch ms); absent where blobs cannot be listed (S3). */
  list?(): { hash: string; size: number; usedAt: number }[];
  /**
   * Delete a blob unless it was written or used at or after `since` (epoch ms); returns the bytes
   * freed, or undefined when it stays (used since) or was gone. Absent where blobs cannot be deleted (S3).
   */
  remove?(hash: string, since: number): number | undefined;
  /** Size in bytes of a stored blob. */
  size(hash: string): number;
  /** Remove temp files left by writers that died (only those older than `olderThanMs`). Returns how many. */
  sweepTemp(olderThanMs?: number): number;
}

const HASH = /^[0-9a-f]{64}$/;

/** Set a file's times to now; false when it does not exist. A file we may not touch (a read-only store) only answers whether it exists. */
function touchFile(path: string): boolean {
  try {
    const now = new Date();
    utimesSync(path, now, now);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return false;
    return existsSync(path);
  }
}

/** A blob store in `dir` (created when missing). */
export function createBlobStore(dir: string): BlobStore {
  mkdirSync(dir, { recursive: true });
  const pathOf = (hash: string) => {
    if (!HASH.test(hash)) throw new BlobError(`not a blob hash: "${hash}"`, hash);
    return join(dir, hash.slice(0, 2), hash.slice(2));
  };
  return {
    dir,
    put(bytes, hash = sha256(bytes)) {
      const final = pathOf(hash);
      // Present: mark it used instead (gc keeps blobs used after it started). Gone meanwhile: write it.
      if (touchFile(final)) return hash;
      mkdirSync(join(dir, hash.slice(0, 2)), { recursive: true });
      // A temp file beside the blob, renamed into place: never a half object under its hash.
      writeFileAtomic(final, bytes instanceof Uint8Array ? bytes : materialize(bytes), { sync: false });
      return hash;
    },
    async write(pieces) {
      // the temp file in the store's folder (one filesystem with every blob's): its final folder is known once hashed
      const { file: temp, hash } = await hashToTemp(dir, pieces);
      const final = pathOf(hash);
      if (touchFile(final)) {
        temp.discard();
        return hash;
      }
      mkdirSync(join(dir, hash.slice(0, 2)), { recursive: true });
      temp.commit(final);
      return hash;
    },
    get(hash, verify = true) {
      const path = pathOf(hash);
      if (!existsSync(path)) throw new BlobError(`blob ${hash.slice(0, 12)} is missing from ${dir}`, hash);
      const bytes = readFileSync(path);
      if (verify && sha256(bytes) !== hash) {
        // written before a power loss and never whole: removed, so that the stage runs and writes it again
        rmSync(path, { force: true });
        throw new BlobError(`blob ${hash.slice(0, 12)} is corrupt (its content does not match its hash; removed from ${dir})`, hash);
      }
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    has: (hash) => HASH.test(hash) && existsSync(pathOf(hash)),
    touch: (hash) => HASH.test(hash) && touchFile(pathOf(hash)),
    list() {
      const out: { hash: string; size: number; usedAt: number }[] = [];
      for (const sub of readdirSync(dir)) {
        if (!/^[0-9a-f]{2}$/.test(sub)) continue;
        for (const name of readdirSync(join(dir, sub))) {
          if (!HASH.test(sub + name)) continue;
          try {
            const st = statSync(join(dir, sub, name));
            out.push({ hash: sub + name, size: st.size, usedAt: st.mtimeMs });
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
          }
        }
      }
      return out;
    },
    remove(hash, since) {
      const final = pathOf(hash);
      // Moved aside first, then judged: a writer touching it before the move shows in its time, a
      // writer after the move finds it gone and writes it anew; so a used blob is never lost.
      const aside = join(dir, hash.slice(0, 2), `.tmp-gc-${process.pid}-${hash.slice(2)}`);
      try {
        renameSync(final, aside);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw e;
      }
      const st = statSync(aside);
      if (st.mtimeMs >= since) {
        renameSync(aside, final);
        return undefined;
      }
      unlinkSync(aside);
      return st.size;
    },
    size: (hash) => statSync(pathOf(hash)).size,
    sweepTemp(olderThanMs = 60_000) {
      let removed = 0;
      const now = Date.now();
      // `put` writes beside the blob, `write` in the store's folder itself
      const folders = ["", ...readdirSync(dir).filter((sub) => /^[0-9a-f]{2}$/.test(sub))];
      for (const sub of folders) {
        for (const name of readdirSync(join(dir, sub))) {
          const p = join(dir, sub, name);
          if (!name.startsWith(".tmp-")) continue;
          try {
            if (now - statSync(p).mtimeMs < olderThanMs) continue;
            unlinkSync(p);
            removed++;
          } catch (e) {
            // renamed into place or dropped by its writer meanwhile
            if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
          }
        }
      }
      return removed;
    },
  };
}
