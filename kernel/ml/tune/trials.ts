// Cross-validation trials (candidate x fold) on worker threads: each worker rebuilds the same seeded folds and fits what it is given.
//
// A trial's result depends only on the table, the seed, the candidate's params and the fold, so
// which thread runs it does not change the score: results equal the sequential run's. Tables
// travel as Arrow IPC; model and scoring go by name (functions cannot cross threads: a search
// with a fit or scoring function runs its trials on the calling thread).
import * as aq from "arquero";
import type { ColumnTable } from "arquero";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Params } from "./space.js";

/** What a worker needs to rebuild the folds and fit a trial (all of it structured-cloneable). */
export interface TrialSetup {
  verb: string;
  ipc: Uint8Array;
  /** Search options without functions (model and scoring by name). */
  opts: Record<string, unknown>;
  seed: number;
  classifier: boolean;
  k: number;
}

/** One trial to run: candidate index, its params, and the fold. */
export interface Trial {
  candidate: number;
  params: Params;
  fold: number;
}

/** A trial's outcome: its score and fit time, or the error it raised. */
export type TrialResult = { candidate: number; fold: number; score: number; ms: number } | { candidate: number; fold: number; error: string };

/** How many worker threads a search uses: `workers` when given, else the core count (at least 1). */
export function workerCount(workers: number | undefined, trials: number): number {
  const n = workers ?? availableParallelism();
  if (!Number.isInteger(n) || n < 1) throw new Error(`tune: workers must be a positive integer, got ${workers}`);
  return Math.max(1, Math.min(n, trials));
}

/** The table as Arrow IPC bytes for a worker. */
export function tableBytes(table: ColumnTable): Uint8Array {
  return aq.toArrowIPC(table, { format: "file" }) as Uint8Array;
}

/**
 * Run `trials` on `workers` threads, handing the next trial to whichever worker is free;
 * `onDone` hears of each as it finishes. Results come back in `trials` order.
 */
export async function runTrialsOnWorkers(setup: TrialSetup, trials: Trial[], workers: number, onDone: (r: TrialResult, done: number) => void): Promise<TrialResult[]> {
  const results: TrialResult[] = new Array(trials.length);
  let next = 0;
  let done = 0;
  const url = new URL("./trialWorker.js", import.meta.url);
  const pool = Array.from({ length: workers }, () => new Worker(url, { workerData: setup }));
  try {
    await Promise.all(pool.map((w) => new Promise<void>((resolve, reject) => {
      const give = () => {
        if (next >= trials.length) return resolve();
        const i = next++;
        w.once("message", (r: TrialResult) => {
          results[i] = r;
          onDone(r, ++done);
          give();
        });
        w.postMessage(trials[i]);
      };
      w.once("error", reject);
      w.once("exit", (code) => (next < trials.length || results.includes(undefined as never)) && code !== 0 && reject(new Error(`tune: a trial worker exited with code ${code}`)));
      give();
    })));
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}
