// What a stage showed, kept for its cache entry: display outputs (the last state of each one updated in place) and its result, capped.
import type { Mime } from "../ml/context.js";
import type { Json } from "./codecs/types.js";
import type { RecordedDisplay } from "./store/types.js";

/** Default cap of the displays recorded for one stage execution (bytes of JSON). */
export const DISPLAY_CAP_BYTES = 2_000_000;

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
      const kept: RecordedDisplay[] = [];
      let size = 0;
      for (const [i, e] of all.entries()) {
        size += JSON.stringify(e.data).length;
        if (size > capBytes) {
          const cut = all.length - i;
          kept.push({ data: { "text/plain": `(${cut} more output${cut === 1 ? "" : "s"} of this stage not kept in the cache: recorded outputs are capped at ${Math.round(capBytes / 1000)} kB per cell)` } });
          break;
        }
        kept.push(e);
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
