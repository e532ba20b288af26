// The live drift window: a fixed-size ring of recent request inputs, compared with the bundle's reference.

import { report, type DriftReport } from "../ml/drift/report.js";
import type { ReferenceData } from "../ml/deploy/reference.js";

/** Below this many rows in the window, drift is not computed (tests have no power). */
export const MIN_WINDOW_ROWS = 30;

/** Bounded memory: one preallocated array per column, overwritten in a circle. */
export class DriftWindow {
  private readonly columns: Record<string, unknown[]> = {};
  private next = 0;
  private filled = 0;
  private version = 0;
  private cached: { version: number; report: DriftReport | null; error?: string } | null = null;

  constructor(
    private readonly reference: ReferenceData,
    readonly size = 1000,
  ) {
    for (const c of Object.keys(reference.columns)) this.columns[c] = new Array(size).fill(null);
  }

  /** Rows currently in the window. */
  get rows(): number {
    return this.filled;
  }

  /** Add validated request rows (the oldest fall out). */
  push(rows: Record<string, unknown>[]): void {
    for (const row of rows) {
      for (const c in this.columns) this.columns[c][this.next] = row[c] ?? null;
      this.next = (this.next + 1) % this.size;
      if (this.filled < this.size) this.filled++;
    }
    this.version++;
  }

  /** Drift of the window against the reference (cached until new rows arrive); null while too few rows. */
  drift(): { report: DriftReport | null; error?: string } {
    if (this.cached && this.cached.version === this.version) return this.cached;
    let result: { report: DriftReport | null; error?: string };
    if (this.filled < MIN_WINDOW_ROWS) {
      result = { report: null, error: `${this.filled} rows in the window; drift needs at least ${MIN_WINDOW_ROWS}` };
    } else {
      const current: Record<string, unknown[]> = {};
      const reference: Record<string, unknown[]> = {};
      for (const c in this.columns) {
        const values = this.filled < this.size ? this.columns[c].slice(0, this.filled) : this.columns[c];
        // A column with no values on either side has nothing to compare.
        if (!values.some((v) => v !== null) || !this.reference.columns[c].some((v) => v !== null)) continue;
        current[c] = values;
        reference[c] = this.reference.columns[c];
      }
      try {
        result = { report: report(reference, current) };
      } catch (e) {
        result = { report: null, error: (e as Error).message };
      }
    }
    this.cached = { version: this.version, ...result };
    return result;
  }
}
