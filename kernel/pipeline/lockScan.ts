// Finding pipeline lock files under folders and the runs they name (what `mlnb gc` must keep).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { LockError, readLock } from "./lock.js";

/** A run a lock names: its id, its notebook (file name) and the lock's path as given. */
export interface NamedRun {
  runId: number;
  notebook: string;
  lock: string;
}

/** Folders never searched: dependencies, git's and mlnb's own stores, hidden folders. */
const SKIP = /^(node_modules|\..*)$/;

/** `*.lock.json` files under each path (a folder searched at most `depth` levels down, a file taken as is). */
export function findLockFiles(paths: readonly string[], depth = 8): string[] {
  const out: string[] = [];
  const walk = (dir: string, level: number) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory() && level < depth && !SKIP.test(e.name)) walk(join(dir, e.name), level + 1);
      else if (e.isFile() && e.name.endsWith(".lock.json")) out.push(join(dir, e.name));
    }
  };
  for (const p of paths) {
    if (statSync(p).isDirectory()) walk(p, 0);
    else out.push(p);
  }
  return [...new Set(out)];
}

/**
 * The runs the lock files under `paths` name. A `*.lock.json` that is not an mlnb lock (no
 * `lockVersion`) is passed over; an mlnb lock that does not read is a LockError naming its path,
 * since what it names cannot be known. Locks of exports made before runs were recorded name none.
 */
export function lockedRuns(paths: readonly string[], base = process.cwd()): NamedRun[] {
  const out: NamedRun[] = [];
  for (const file of findLockFiles(paths)) {
    const shown = relative(base, file) || file;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, "utf8"));
    } catch {
      raw = undefined;
    }
    // another tool's *.lock.json is none of ours; a broken one named like ours is an error below
    const ours = !!raw && typeof raw === "object" && "lockVersion" in raw;
    if (!ours && !file.endsWith(".pipeline.lock.json")) continue;
    let lock;
    try {
      lock = readLock(file);
    } catch (e) {
      if (e instanceof LockError) throw new LockError(`${shown}: ${e.message.replace(/^[^:]*: /, "")}`);
      throw e;
    }
    if (lock.run) out.push({ runId: lock.run.id, notebook: lock.notebook, lock: shown });
  }
  return out;
}
