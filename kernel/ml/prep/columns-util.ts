// Column helpers shared by prep and features: missing values, numeric extraction, column choice, replacement.
import type { ColumnTable } from "arquero";

/** null, undefined and NaN count as missing (like scikit-learn's missing_values=np.nan plus None). */
export function isMissing(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === "number" && Number.isNaN(v));
}

/** A column's values in row order as numbers, missing as NaN; non-numeric values are an error naming the column. */
export function numericColumn(table: ColumnTable, name: string, who: string): Float64Array {
  const col = table.column(name);
  if (!col) throw new Error(`${who}: no column "${name}" (columns: ${table.columnNames().join(", ")})`);
  const values = table.array(name) as ArrayLike<unknown>;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (isMissing(v)) out[i] = NaN;
    else if (typeof v === "number") out[i] = v;
    else if (typeof v === "boolean") out[i] = v ? 1 : 0;
    else if (v instanceof Date) out[i] = v.getTime();
    else throw new TypeError(`${who}: column "${name}" row ${i} is not numeric: ${JSON.stringify(v)}`);
  }
  return out;
}

/** Whether a column holds numbers (ignoring missing values). */
export function isNumericColumn(table: ColumnTable, name: string): boolean {
  const values = table.array(name) as ArrayLike<unknown>;
  let seen = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (isMissing(v)) continue;
    if (typeof v !== "number") return false;
    seen = true;
  }
  return seen;
}

/** The columns a transformer works on: the given ones (checked), else all numeric or all non-numeric ones. */
export function chooseColumns(table: ColumnTable, given: unknown, kind: "numeric" | "categorical" | "any", who: string): string[] {
  if (Array.isArray(given)) {
    for (const c of given) if (!table.column(c)) throw new Error(`${who}: no column "${c}" (columns: ${table.columnNames().join(", ")})`);
    return given as string[];
  }
  const names = table.columnNames();
  if (kind === "any") return names;
  return names.filter((n) => isNumericColumn(table, n) === (kind === "numeric"));
}

/** Replace/add columns with new values (row order), keeping the column order. */
export function withColumns(table: ColumnTable, values: Record<string, ArrayLike<unknown>>): ColumnTable {
  return table.assign(values as Record<string, unknown[]>) as ColumnTable;
}

/** Ascending numeric sort of the non-NaN values. */
export function sortedFinite(x: Float64Array): Float64Array {
  let n = 0;
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i])) out[n++] = x[i];
  return out.subarray(0, n).sort();
}

/** The non-NaN values in their original order. */
export function present(x: Float64Array): Float64Array {
  let n = 0;
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i])) out[n++] = x[i];
  return out.subarray(0, n);
}

/** numpy's default ("linear") percentile of sorted values, q in [0, 100]. */
export function percentile(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = ((n - 1) * q) / 100;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const frac = pos - lo;
  // numpy's _lerp: a + (b-a)*t, switching to b - (b-a)*(1-t) for t >= 0.5
  const a = sorted[lo], b = sorted[hi];
  const diff = b - a;
  return frac >= 0.5 ? b - diff * (1 - frac) : a + diff * frac;
}

/** Mean of the non-NaN values, summed pairwise like numpy for agreement to the last bits. */
export function nanMean(x: Float64Array): number {
  const v = present(x);
  return v.length ? pairwiseSum(v, 0, v.length) / v.length : NaN;
}

/** numpy-style pairwise summation (blocks of 128 summed in 8 lanes). */
export function pairwiseSum(a: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[start + i];
    return s;
  }
  if (n <= 128) {
    const r = [a[start], a[start + 1], a[start + 2], a[start + 3], a[start + 4], a[start + 5], a[start + 6], a[start + 7]];
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let k = 0; k < 8; k++) r[k] += a[start + i + k];
    let s = (r[0] + r[1] + (r[2] + r[3])) + (r[4] + r[5] + (r[6] + r[7]));
    for (; i < n; i++) s += a[start + i];
    return s;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}
