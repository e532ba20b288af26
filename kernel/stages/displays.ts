// What a stage showed, kept for its cache entry: display outputs (the last state of each one updated in place) and its result, capped.
import type { Mime } from "../ml/context.js";
import type { Json } from "./codecs/types.js";
import type { RecordedDisplay } from "./store/types.js";
import { capNote, DEFAULT_OUTPUT_CAP_BYTES, OutputBudget, payloadBytes } from "../notebook/outputCap.js";

/** Default cap of the displays recorded for one stage execution (bytes of JSON): the cell output cap. */
export const DISPLAY_CAP_BYTES = DEFAULT_OUTPUT_CAP_BYTES;

export interface DisplayRecorder {
  /** A display the stage showed; a repeated `displayId` replaces the earlier one (in-place progress). */
  add(data: Mime, displayId?: string): void;
  /** The recorded displays, then the result (if any); past the cap a note says what was cut. */
  finish(result?: Mime): RecordedDisplay[];
}

/** Record the displays of one stage execution, at most `capBytes` of JSON (`DISPLAY_CAP_BYTES`). */
export function createDisplayRecorder(capBytes = DISPLAY_CAP_BYTES): DisplayRecorder {
  const entries: RecordedDisplay[] = [];
  const byId = new Map<string, number>();
  return {
    add(data, displayId) {
      const at = displayId === undefined ? undefined : byId.get(displayId);
      const entry = { data: jsonSafe(data) };
      if (at !== undefined) entries[at] = entry;
      else {
        if (displayId !== undefined) byId.set(displayId, entries.length);
        entries.push(entry);
      }
    },
    finish(result) {
      const all = result ? [...entries, { data: jsonSafe(result), result: true }] : entries;
      // the cell output cap's budget: what is shown first is kept, the rest is cut with one note
      const budget = new OutputBudget(capBytes);
      const kept = all.filter((e) => !budget.exceeded && budget.takeWhole(payloadBytes(e.data)));
      if (budget.exceeded) {
        for (const e of all.slice(kept.length + 1)) budget.takeWhole(payloadBytes(e.data));
        kept.push({ data: { "text/plain": capNote(capBytes, budget.cut, "the stage's cache entry keeps the same; run it ignoring the cache to see everything") } });
      }
      return kept;
    },
  };
}

/** A mime bundle as plain JSON (typed arrays and other non-JSON values dropped by JSON's rules). */
function jsonSafe(data: Mime): { [mime: string]: Json } {
  return JSON.parse(JSON.stringify(data)) as { [mime: string]: Json };
}

/**
 * What replaying a stage's recorded displays shows: the displays in order, and its result (the
 * cell's last expression) apart, since it goes last, after the "cached: from run N" line. A cache
 * hit in a run and Load Into Kernel both replay through this.
 */
export function replayOf(displays: readonly RecordedDisplay[]): { shown: Mime[]; result?: Mime } {
  let result: Mime | undefined;
  const shown: Mime[] = [];
  for (const d of displays) {
    if (d.result) result = d.data as Mime;
    else shown.push(d.data as Mime);
  }
  return result ? { shown, result } : { shown };
}
