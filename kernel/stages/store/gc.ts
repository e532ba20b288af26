// Garbage collection of a run store (`mlnb gc`): which runs are kept, then run records deleted first and unreferenced blobs after.
//
// Crash safety comes from the order: the run records go in one transaction, then only blobs no
// remaining record needs are deleted, so a kill at any moment leaves every kept run with all its
// blobs (at worst an unreferenced blob the next gc frees). A concurrent `mlnb run` is safe because
// a blob written or used (a cache hit, a rewrite of the same bytes) after `since` is never deleted
// (see BlobStore.remove), and running runs are never deleted.
import type { RunStore } from "./store.js";
import type { RunDetail } from "./types.js";

/** The default of `--keep`: the newest runs of each notebook kept. */
export const DEFAULT_KEEP = 10;
/** The default grace: blobs written or used this recently stay (a concurrent run's, clocks of other hosts). */
export const DEFAULT_GRACE_MS = 15 * 60_000;

/** A run a lock file names (the run its expected hashes come from). */
export interface LockedRun {
  runId: number;
  notebook: string;
  /** The lock file, as given to the user. */
  lock: string;
}

export interface GcOptions {
  /** The newest runs of each notebook kept (plus its newest successful run). */
  keep: number;
  /** Runs lock files name: always kept. */
  locked?: readonly LockedRun[];
  /** Report what would go, delete nothing. */
  dryRun?: boolean;
  /** Blobs written or used this recently are kept (default DEFAULT_GRACE_MS). */
  graceMs?: number;
  /** Epoch ms the gc started (injected in tests). */
  now?: number;
}

/** Why a run is kept. */
export type KeptBecause = "newest" | "newest ok" | "running" | "locked" | "cache source";

export interface GcResult {
  dryRun: boolean;
  /** Runs kept, with why (the first reason that applies). */
  kept: { id: number; notebook: string; because: KeptBecause; lock?: string }[];
  /** Runs removed (or that would be). */
  removed: { id: number; notebook: string; status: string }[];
  blobsRemoved: number;
  bytesFreed: number;
  /** Blobs kept: referenced by a kept run, or used within the grace. */
  blobsKept: number;
  /** Of those, the ones no kept run references (written or used within the grace). */
  blobsRecent: number;
  /** Set when the blob store cannot be swept (S3): what to do instead. */
  blobsNotSwept?: string;
}

/**
 * Which runs stay and why: the `keep` newest of each notebook, its newest ok run, running runs,
 * locked runs, and the runs whose stage executions a kept run's cached stages came from (only an
 * executed stage is a cache entry: without its source, a kept run's cached stage would run again).
 */
export function runsToKeep(runs: readonly RunDetail[], keep: number, locked: readonly LockedRun[] = []): Map<number, { because: KeptBecause; lock?: string }> {
  const kept = new Map<number, { because: KeptBecause; lock?: string }>();
  const seen = new Map<string, number>();
  const okSeen = new Set<string>();
  // newest first, as listRuns gives them
  for (const r of [...runs].sort((a, b) => b.id - a.id)) {
    const n = seen.get(r.notebook) ?? 0;
    seen.set(r.notebook, n + 1);
    if (r.status === "running") kept.set(r.id, { because: "running" });
    else if (n < keep) kept.set(r.id, { because: "newest" });
    else if (r.status === "ok" && !okSeen.has(r.notebook)) kept.set(r.id, { because: "newest ok" });
    if (r.status === "ok") okSeen.add(r.notebook);
  }
  for (const l of locked) {
    const run = runs.find((r) => r.id === l.runId && r.notebook === l.notebook);
    if (run && !kept.has(run.id)) kept.set(run.id, { because: "locked", lock: l.lock });
  }
  const runOfStageRun = new Map(runs.flatMap((r) => r.stageRuns.map((s) => [s.id, r] as const)));
  const queue = runs.filter((r) => kept.has(r.id));
  for (let r = queue.pop(); r; r = queue.pop()) {
    for (const s of r.stageRuns) {
      const source = s.cachedFrom === undefined ? undefined : runOfStageRun.get(s.cachedFrom);
      if (source && !kept.has(source.id)) {
        kept.set(source.id, { because: "cache source" });
        queue.push(source);
      }
    }
  }
  return kept;
}

/** Collect the garbage of `store`: delete the runs not kept, then the blobs nothing kept needs. */
export function collectGarbage(store: RunStore, options: GcOptions): GcResult {
  const now = options.now ?? Date.now();
  const since = now - (options.graceMs ?? DEFAULT_GRACE_MS);
  const dryRun = options.dryRun === true;
  const runs = store.listRuns().map((r) => store.getRun(r.id)).filter((r): r is RunDetail => r !== undefined);
  const keep = runsToKeep(runs, options.keep, options.locked);
  const kept = runs.filter((r) => keep.has(r.id)).map((r) => ({ id: r.id, notebook: r.notebook, ...keep.get(r.id)! }));
  let removed = runs.filter((r) => !keep.has(r.id)).map((r) => ({ id: r.id, notebook: r.notebook, status: r.status })).sort((a, b) => a.id - b.id);
  const removedIds = removed.map((r) => r.id);
  if (!dryRun && removedIds.length) {
    // records first, in one transaction; a run that started "running" meanwhile is skipped by deleteRuns
    const deleted = new Set(store.deleteRuns(removedIds));
    removed = removed.filter((r) => deleted.has(r.id));
  }
  const result: GcResult = { dryRun, kept, removed, blobsRemoved: 0, bytesFreed: 0, blobsKept: 0, blobsRecent: 0 };
  const { blobs } = store;
  if (!blobs.list || !blobs.remove) {
    result.blobsNotSwept = `blobs under ${blobs.dir} are not swept by mlnb gc: expire them with the bucket's lifecycle rules`;
    return result;
  }
  // read after the delete: whatever a concurrent run recorded by now is referenced
  const needed = store.referencedBlobs(dryRun ? removedIds : []);
  for (const b of blobs.list()) {
    if (needed.has(b.hash) || b.usedAt >= since) {
      result.blobsKept++;
      if (!needed.has(b.hash)) result.blobsRecent++;
      continue;
    }
    const freed = dryRun ? b.size : blobs.remove(b.hash, since);
    if (freed !== undefined) {
      result.blobsRemoved++;
      result.bytesFreed += freed;
    } else {
      result.blobsKept++;
      result.blobsRecent++;
    }
  }
  return result;
}
