// Turns arquero tables into the dense Float32 matrices and label codes the training loop feeds tfjs.
import type { ColumnTable } from "arquero";

/** Which columns a model reads: the target and the feature columns (all numeric non-target ones by default). */
export interface ColumnSpec {
  target: string;
  features?: string[];
}

/** Feature names of a table: the given ones (checked), else every numeric column except the target. */
export function featureNames(table: ColumnTable, spec: ColumnSpec, verb: string): string[] {
  const columns = table.columnNames();
  if (!columns.includes(spec.target)) throw new Error(`${verb}: no target column "${spec.target}" (columns: ${columns.join(", ")})`);
  if (spec.features) {
    if (spec.features.length === 0) throw new Error(`${verb}: features is empty`);
    for (const f of spec.features) {
      if (!columns.includes(f)) throw new Error(`${verb}: no feature column "${f}" (columns: ${columns.join(", ")})`);
      if (f === spec.target) throw new Error(`${verb}: the target "${f}" is also listed as a feature`);
    }
    return [...spec.features];
  }
  const numeric = columns.filter((c) => c !== spec.target && isNumericColumn(table, c));
  if (numeric.length === 0) throw new Error(`${verb}: no numeric feature columns besides the target "${spec.target}"; encode categorical columns first (prep.OneHotEncoder)`);
  return numeric;
}

/**
 * A column's values in logical row order. Unfiltered, unordered tables hand out the backing array
 * itself: arquero's table.array() calls a closure per row, the main cost of encoding 1M cells.
 */
export function columnValues(table: ColumnTable, name: string): ArrayLike<unknown> {
  const col = table.column(name) as unknown;
  if ((Array.isArray(col) || ArrayBuffer.isView(col)) && !table.isFiltered() && !table.isOrdered()) return col as ArrayLike<unknown>;
  return table.array(name) as ArrayLike<unknown>;
}

function isNumericColumn(table: ColumnTable, name: string): boolean {
  const values = columnValues(table, name);
  if (ArrayBuffer.isView(values)) return true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    return typeof v === "number";
  }
  return false;
}

/** Row-major float32 matrix of the features; missing or non-numeric values are errors naming column and row. */
export function featureMatrix(table: ColumnTable, features: string[], verb: string): Float32Array {
  const n = table.numRows();
  const d = features.length;
  const x = new Float32Array(n * d);
  for (let j = 0; j < d; j++) {
    const name = features[j];
    if (!table.column(name)) throw new Error(`${verb}: the table has no feature column "${name}" (columns: ${table.columnNames().join(", ")})`);
    const values = columnValues(table, name);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (typeof v !== "number" || Number.isNaN(v)) {
        const what = v === null || v === undefined || Number.isNaN(v) ? "a missing value" : `a non-numeric value ${JSON.stringify(v)}`;
        throw new Error(`${verb}: feature column "${name}" has ${what} at row ${i}; impute or encode it first (prep)`);
      }
      x[i * d + j] = v;
    }
  }
  return x;
}

/** A class label as tables hold it. */
export type Label = string | number | boolean;

/** Sorted distinct labels (numbers numerically, else as strings), as scikit-learn's `classes_`. */
export function distinctLabels(values: ArrayLike<unknown>, target: string, verb: string): Label[] {
  const seen = new Set<Label>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) {
      throw new Error(`${verb}: target column "${target}" has a missing value at row ${i}`);
    }
    if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") {
      throw new Error(`${verb}: target column "${target}" has an unsupported value ${String(v)} at row ${i}`);
    }
    seen.add(v);
  }
  const labels = [...seen];
  if (labels.every((l) => typeof l === "number")) return (labels as number[]).sort((a, b) => a - b);
  return labels.sort((a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
}

/** Class index of every row (labels must come from `distinctLabels` or a fitted model). */
export function labelCodes(values: ArrayLike<unknown>, labels: readonly Label[], target: string, verb: string): Int32Array {
  const index = new Map<unknown, number>(labels.map((l, i) => [l, i]));
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const c = index.get(values[i]);
    if (c === undefined) throw new Error(`${verb}: target column "${target}" has label ${JSON.stringify(values[i])} at row ${i}, unknown to the model (labels: ${labels.join(", ")})`);
    codes[i] = c;
  }
  return codes;
}

/** One-hot float32 matrix of class codes. */
export function oneHot(codes: Int32Array, k: number): Float32Array {
  const y = new Float32Array(codes.length * k);
  for (let i = 0; i < codes.length; i++) y[i * k + codes[i]] = 1;
  return y;
}

/** Numeric regression targets as float32; missing or non-numeric values are errors naming the row. */
export function numericTarget(values: ArrayLike<unknown>, target: string, verb: string): Float32Array {
  const y = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number" || Number.isNaN(v)) throw new Error(`${verb}: target column "${target}" has ${v === null || v === undefined || Number.isNaN(v) ? "a missing value" : `a non-numeric value ${JSON.stringify(v)}`} at row ${i}`);
    y[i] = v;
  }
  return y;
}

/** Rows `idx` of a row-major matrix with `width` columns. */
export function takeRows(m: Float32Array, width: number, idx: ArrayLike<number>): Float32Array {
  const out = new Float32Array(idx.length * width);
  if (width > 32) {
    for (let k = 0; k < idx.length; k++) out.set(m.subarray(idx[k] * width, idx[k] * width + width), k * width);
    return out;
  }
  // narrow rows: a plain loop beats a subarray + set call per row
  let at = 0;
  for (let k = 0; k < idx.length; k++) {
    const from = idx[k] * width;
    for (let j = 0; j < width; j++) out[at++] = m[from + j];
  }
  return out;
}
