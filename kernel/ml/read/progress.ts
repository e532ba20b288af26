// Progress of large reads: one display updated in place with bytes and rows read (the CLI shows it as its progress line), for files over a size threshold.
import type { ColumnTable } from "arquero";
import { context } from "../context.js";
import { mb } from "./budget.js";
import { formatCount } from "../../text/count.js";

/** A reader's progress reporter; a no-op for small files. */
export interface ReadProgress {
  /** Bytes of the file consumed so far (undefined when unknown) and rows made so far. */
  update(bytes: number | undefined, rows: number): void;
  /** The final state: shown once, whatever the throttle. */
  done(rows: number): void;
}

let counter = 0;

/** Files at least this big report progress: `MLNB_READ_PROGRESS_MB` megabytes (default 64). */
export function progressThreshold(): number {
  const env = Number(process.env.MLNB_READ_PROGRESS_MB);
  return (Number.isFinite(env) && env >= 0 && process.env.MLNB_READ_PROGRESS_MB !== "" ? env : 64) * 2 ** 20;
}

/**
 * Progress of reading `source` (`totalBytes` big): at most one update every `everyMs`, as a
 * display with one id, so a notebook shows one line changing in place and `mlnb run` a progress
 * line on a terminal (periodic lines otherwise). Files under the threshold report nothing.
 */
export function readProgress(verb: string, source: string, totalBytes: number, everyMs = 1000): ReadProgress {
  if (totalBytes < progressThreshold()) return { update() {}, done() {} };
  const displayId = `mlnb-read-${++counter}`;
  const started = Date.now();
  let last = started;
  const show = (text: string) => context().display({ "text/plain": text }, displayId);
  return {
    update(bytes, rows) {
      const now = Date.now();
      if (now - last < everyMs) return;
      last = now;
      const seconds = (now - started) / 1000;
      const part = bytes === undefined ? "" : `  ${mb(bytes)} / ${mb(totalBytes)} (${Math.floor((100 * bytes) / Math.max(1, totalBytes))}%)`;
      show(`${verb} ${source}${part}  ${formatCount(rows)} rows  ${formatCount(rows / Math.max(seconds, 1e-3))} rows/s ...`);
    },
    done(rows) {
      show(`${verb} ${source}  ${mb(totalBytes)}  ${formatCount(rows)} rows in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    },
  };
}

/** Table batches of a file that report their progress (rows) on each pass. */
export function batchesWithProgress<T extends AsyncIterable<ColumnTable>>(batches: T, verb: string, source: string, totalBytes: number): T {
  if (totalBytes < progressThreshold()) return batches;
  return Object.assign(Object.create(batches) as T, {
    async *[Symbol.asyncIterator]() {
      const progress = readProgress(verb, source, totalBytes);
      let rows = 0;
      for await (const b of batches) {
        rows += b.numRows();
        progress.update(undefined, rows);
        yield b;
      }
      progress.done(rows);
    },
  });
}
