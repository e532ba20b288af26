// Reference statistics of the training inputs, kept in a bundle so a server can measure drift without the data.

/** A bounded, evenly spaced sample of each input column plus its row count. */
export interface ReferenceData {
  /** Rows of the full reference table. */
  rows: number;
  /** Rows kept in `columns` (all of them when the table is small). */
  sampled: number;
  columns: Record<string, unknown[]>;
}

/** Rows kept by default: enough for stable drift tests, small enough for a bundle. */
export const REFERENCE_SAMPLE = 5000;

type ColumnSource = { columnNames(): string[]; array(name: string): ArrayLike<unknown>; numRows(): number };

/** Evenly spaced rows (deterministic, no randomness) of the given columns. */
export function referenceSample(table: ColumnSource, columns: string[], max = REFERENCE_SAMPLE): ReferenceData {
  const n = table.numRows();
  const k = Math.min(n, max);
  const out: Record<string, unknown[]> = {};
  for (const c of columns) {
    const values = table.array(c);
    const kept = new Array<unknown>(k);
    for (let i = 0; i < k; i++) {
      const v = values[Math.floor((i * n) / k)];
      kept[i] = v === undefined || (typeof v === "number" && !Number.isFinite(v)) ? null : v;
    }
    out[c] = kept;
  }
  return { rows: n, sampled: k, columns: out };
}
