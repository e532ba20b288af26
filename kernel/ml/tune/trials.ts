// Deals a search's trials (candidate x fold) to the calling thread and leased pool threads, one at a time to whichever is free.
//
// The calling thread fits trials from the first moment; pool threads join as soon as they are
// ready (a cold one after about a second, a warm one at once), so given a free core a pool never
// makes a search slower than the sequential run by more than the messages. (On a busy machine a
// cold thread's start takes CPU from the calling thread: bench/tune.ts.) Tables travel as Arrow IPC in a
// SharedArrayBuffer, once per search; model and scoring go by name (functions cannot cross
// threads: a search with a fit or scoring function runs on the calling thread).
import * as aq from "arquero";
import type { ColumnTable } from "arquero";
import { availableParallelism } from "node:os";
import { runTrial, type Trial, type TrialContext, type TrialResult } from "./fit.js";
import { discard, lease, release, warmWorkers, type PoolWorker } from "./pool.js";

/** What a pool thread needs to rebuild the folds and fit a trial (all of it structured-cloneable). */
export interface TrialSetup {
  verb: string;
  /** The table as Arrow IPC file bytes, shared by every thread of the search. */
  ipc: SharedArrayBuffer;
  /** Search options without functions (model and scoring by name). */
  opts: Record<string, unknown>;
  seed: number;
  classifier: boolean;
  k: number;
  /** The calling thread's TensorFlow.js backend. */
  backend: string;
}

/** Messages from a search to a pool thread. */
export type PoolMessage =
  | { type: "search"; id: number; setup: TrialSetup }
  | { type: "trial"; id: number; trial: Trial }
  | { type: "end"; id: number };

/** How a search runs its trials: `threads` fitting at once (the calling thread is one of them). */
export interface TrialPlan {
  threads: number;
  /**
   * Start cold pool threads only once the calling thread's fits predict more than this much
   * sequential work left (ms: the last fit's time x the trials not yet dealt); warm threads join at
   * once. Undefined: start every thread at once.
   */
  coldStartAfterMs?: number;
  /** Aborting it stops the search: busy pool threads are terminated, the promise rejects. */
  signal?: AbortSignal;
  onDone?: (r: TrialResult, done: number, where: string) => void;
}

/** What running the trials gave: results in `trials` order (an entry stays empty after a failure), and fits per thread. */
export interface TrialRun {
  results: (TrialResult | undefined)[];
  /** Trials fitted on the calling thread, then on each pool thread that took part. */
  fitsPerThread: number[];
}

/**
 * By default a search starts cold pool threads only when its sequential rest looks longer than this
 * (ms). A cold thread takes about 0.6 s of CPU and 0.6-1 s of wall time to load tfjs before its
 * first fit (measured: bench/README.md), which a shorter search never earns back.
 */
export const COLD_POOL_MIN_MS = 2000;

let searches = 0;

/** How many threads a search fits on: `workers` when given, else the core count; never more than the trials. */
export function threadCount(workers: number | undefined, trials: number): number {
  const n = workers ?? availableParallelism();
  if (!Number.isInteger(n) || n < 1) throw new Error(`tune: workers must be a positive integer, got ${workers}`);
  return Math.max(1, Math.min(n, trials));
}

/** The table as Arrow IPC bytes in shared memory, for every pool thread of a search at once. */
export function sharedTableBytes(table: ColumnTable): SharedArrayBuffer {
  const bytes = aq.toArrowIPC(table, { format: "file" }) as Uint8Array;
  const shared = new SharedArrayBuffer(bytes.byteLength);
  new Uint8Array(shared).set(bytes);
  return shared;
}

/**
 * Run `trials`: the calling thread fits them with `ctx`, pool threads with the same folds rebuilt
 * from `setup`. Stops dealing at the first failed trial (the failure is in the results).
 */
export function runTrials(ctx: TrialContext, setup: () => TrialSetup, trials: Trial[], plan: TrialPlan): Promise<TrialRun> {
  if (!trials.length) return Promise.resolve({ results: [], fitsPerThread: [0] });
  const results: (TrialResult | undefined)[] = new Array(trials.length);
  const fitsPerThread = [0];
  const id = ++searches;
  const leased: PoolWorker[] = [];
  const busy = new Set<PoolWorker>();
  let next = 0;
  let done = 0;
  let failed = false;
  let finished = false;

  return new Promise<TrialRun>((resolve, reject) => {
    const finish = (error?: Error) => {
      if (finished) return;
      finished = true;
      plan.signal?.removeEventListener("abort", onAbort);
      for (const w of leased) if (!w.dead && !busy.has(w)) w.worker.postMessage({ type: "end", id } satisfies PoolMessage);
      // A thread still fitting a trial nobody waits for is ended; the others go back warm.
      void discard([...busy]);
      release(leased.filter((w) => !busy.has(w)));
      if (error) reject(error);
      else resolve({ results, fitsPerThread });
    };
    const onAbort = () => finish(plan.signal!.reason instanceof Error ? plan.signal!.reason : new Error("tune: the search was interrupted"));
    if (plan.signal?.aborted) return onAbort();
    plan.signal?.addEventListener("abort", onAbort);

    const take = (): number | undefined => (failed || finished || next >= trials.length ? undefined : next++);
    /** After a failure, once no thread is still fitting: the search ends with it. */
    const drained = () => failed && busy.size === 0 && !mainBusy;
    const settle = (i: number, r: TrialResult, where: string) => {
      if (finished) return;
      results[i] = r;
      if ("error" in r) failed = true;
      // counted apart from the optional call: `f?.(++done)` skips the increment when there is no `f`
      done++;
      plan.onDone?.(r, done, where);
      if (done === trials.length || drained()) finish();
    };
    let mainBusy = false;
    let prepared: TrialSetup | undefined;
    // The table could not be made for the threads (e.g. a column of mixed types): the calling thread does every trial.
    let noSetup = false;

    const poolThread = (w: PoolWorker, index: number) => {
      fitsPerThread[index] = 0;
      const onMessage = (m: { type: string; id: number; result: TrialResult }) => {
        if (m.type !== "result" || m.id !== id) return;
        busy.delete(w);
        fitsPerThread[index]!++;
        settle(pending.get(w)!, m.result, `pool thread ${index}`);
        give();
      };
      const onExit = () => {
        if (!busy.has(w)) return;
        busy.delete(w);
        const t = trials[pending.get(w)!]!;
        settle(pending.get(w)!, { candidate: t.candidate, fold: t.fold, error: `its worker thread stopped (${w.worker.threadId})` }, `pool thread ${index}`);
      };
      const give = () => {
        const i = take();
        if (i === undefined) {
          w.worker.off("message", onMessage);
          w.worker.off("exit", onExit);
          if (drained()) finish();
          return;
        }
        pending.set(w, i);
        busy.add(w);
        w.worker.postMessage({ type: "trial", id, trial: trials[i]! } satisfies PoolMessage);
      };
      w.ready.then(
        () => {
          if (finished || w.dead || noSetup) return;
          try {
            prepared ??= setup();
          } catch {
            noSetup = true;
            return;
          }
          w.worker.on("message", onMessage);
          w.worker.on("exit", onExit);
          w.worker.postMessage({ type: "search", id, setup: prepared } satisfies PoolMessage);
          give();
        },
        (e: Error) => finish(new Error(`${e.message} (workers: 1 runs the search on the calling thread)`)),
      );
    };
    const pending = new Map<PoolWorker, number>();
    /** Lease up to `n` more pool threads (warm ones first) and deal them trials as they get ready. */
    const addPool = (n: number) => {
      const more = Math.min(n, plan.threads - 1 - leased.length);
      if (finished || more < 1) return;
      const ws = lease(more);
      const base = leased.length;
      leased.push(...ws);
      ws.forEach((w, j) => poolThread(w, base + j + 1));
    };
    addPool(plan.coldStartAfterMs === undefined ? plan.threads - 1 : warmWorkers());

    // The calling thread takes the first trial before any pool thread can: tables rebuilt from Arrow
    // IPC on a pool thread carry no lineage, so a leak (test rows in the tuned table) is caught here.
    void (async () => {
      let i: number | undefined;
      while ((i = take()) !== undefined) {
        mainBusy = true;
        const t0 = performance.now();
        const r = await runTrial(ctx, trials[i]!);
        mainBusy = false;
        fitsPerThread[0]!++;
        if (plan.coldStartAfterMs !== undefined && (performance.now() - t0) * (trials.length - next) > plan.coldStartAfterMs) addPool(plan.threads);
        settle(i, r, "the calling thread");
      }
    })().catch((e: Error) => finish(e));
  });
}
