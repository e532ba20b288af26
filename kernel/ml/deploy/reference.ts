// Reference statistics of the training inputs, kept in a bundle so a server can measure drift without the data.

/** A bounded, evenly spaced sample of each input column plus its row count. */
export interface ReferenceData {
  /** Rows of the full reference table. */
  rows: number;
  /** Rows kept in `columns` (all of them when the table is small). */
  sampled: number;
  columns: Record<string, unknown[]>;
  /** Statistics of each column over the full reference table. */
  summary: Record<string, ColumnSummary>;
}

/** Count and missing values, plus mean/std/min/max (numbers) or counts per value (others, top 50). */
export interface ColumnSummary {
  count: number;
  missing: number;
  mean?: number;
  std?: number;
  min?: number;
  max?: number;
  counts?: Record<string, number>;
}

function summarise(values: ArrayLike<unknown>): ColumnSummary {
  let count = 0;
  let missing = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let numeric = true;
  let dates = 0;
  const counts = new Map<string, number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) {
      missing++;
      continue;
    }
    count++;
    if (v instanceof Date) {
      dates++;
      continue;
    }
    if (typeof v === "number") {
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    } else {
      numeric = false;
      const k = String(v);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  // dates: every day is new, so counts per value say nothing; the count and missing values do
  if (dates > 0 && dates === count) return { count, missing };
  if (!numeric || count === 0) {
    const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 50);
    return { count, missing, counts: Object.fromEntries(top) };
  }
  const mean = sum / count;
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === "number" && !Number.isNaN(v)) ss += (v - mean) * (v - mean);
  }
  return { count, missing, mean, std: Math.sqrt(ss / count), min, max };
}

/** Rows kept by default: enough for stable drift tests, small enough for a bundle. */
export const REFERENCE_SAMPLE = 5000;

type ColumnSource = { columnNames(): string[]; array(name: string): ArrayLike<unknown>; numRows(): number };

/** Evenly spaced rows (deterministic, no randomness) of the given columns. */
export function referenceSample(table: ColumnSource, columns: string[], max = REFERENCE_SAMPLE): ReferenceData {
  const n = table.numRows();
  const k = Math.min(n, max);
  const out: Record<string, unknown[]> = {};
  const summary: Record<string, ColumnSummary> = {};
  for (const c of columns) {
    const values = table.array(c);
    summary[c] = summarise(values);
    const kept = new Array<unknown>(k);
    for (let i = 0; i < k; i++) {
      const v = values[Math.floor((i * n) / k)];
      kept[i] = v === undefined || (typeof v === "number" && !Number.isFinite(v)) ? null : v instanceof Date ? v.toISOString() : v;
    }
    out[c] = kept;
  }
  return { rows: n, sampled: k, columns: out, summary };
}
