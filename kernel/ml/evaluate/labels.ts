// Encodes true and predicted labels into dense class codes, fast for the 1M-row case (no per-value objects).
import { compareCodePoints } from "../codePoints.js";

/** A class label as predictions and tables hold it. */
export type Label = string | number | boolean;

/** Labels of both inputs as sorted codes (numbers numerically, else by string, as scikit-learn's unique_labels). */
export interface Encoded {
  labels: Label[];
  t: Int32Array;
  p: Int32Array;
}

/** Check two label arrays have one value per row, naming the metric in the error. */
export function checkLengths(a: ArrayLike<unknown>, b: ArrayLike<unknown>, what: string, names = ["yTrue", "yPred"]): void {
  if (a == null || typeof a.length !== "number") throw new TypeError(`${what}: ${names[0]} must be an array`);
  if (b == null || typeof b.length !== "number") throw new TypeError(`${what}: ${names[1]} must be an array`);
  if (a.length !== b.length) throw new RangeError(`${what}: ${names[0]} has ${a.length} values but ${names[1]} has ${b.length}`);
  if (a.length === 0) throw new RangeError(`${what}: no values`);
}

/**
 * Encode both arrays against the sorted union of their labels, or against `given` labels
 * (values outside them are an error naming the row). Small non-negative integer labels take a
 * table lookup instead of a Map, which is what makes 1M-row metrics cheap.
 */
export function encode(yTrue: ArrayLike<unknown>, yPred: ArrayLike<unknown>, what: string, given?: readonly Label[]): Encoded {
  const small = given ? undefined : smallIntCodes(yTrue, yPred);
  if (small) return small;
  const ids = new Map<unknown, number>();
  const first: Label[] = [];
  if (given) given.forEach((l) => { if (!ids.has(l)) { ids.set(l, first.length); first.push(l); } });
  const code = (arr: ArrayLike<unknown>, name: string): Int32Array => {
    const out = new Int32Array(arr.length);
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i];
      let id = ids.get(v);
      if (id === undefined) {
        if (given) throw new RangeError(`${what}: ${name}[${i}] = ${JSON.stringify(v)} is not one of the given labels (${given.join(", ")})`);
        if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) throw new TypeError(`${what}: ${name}[${i}] is missing`);
        if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") throw new TypeError(`${what}: ${name}[${i}] = ${String(v)} is not a label (string, number or boolean)`);
        id = first.length;
        ids.set(v, id);
        first.push(v);
      }
      out[i] = id;
    }
    return out;
  };
  const t = code(yTrue, "yTrue");
  const p = code(yPred, "yPred");
  if (given) return { labels: first, t, p };
  const order = sortLabels(first);
  const remap = new Int32Array(first.length);
  order.forEach((old, rank) => { remap[old] = rank; });
  for (let i = 0; i < t.length; i++) { t[i] = remap[t[i]]; p[i] = remap[p[i]]; }
  return { labels: order.map((i) => first[i]), t, p };
}

/** Indices of `labels` in sorted order: numerically when all are numbers, else by their string form's code points. */
export function sortLabels(labels: readonly Label[]): number[] {
  const idx = labels.map((_, i) => i);
  if (labels.every((l) => typeof l === "number")) return idx.sort((a, b) => (labels[a] as number) - (labels[b] as number));
  return idx.sort((a, b) => compareCodePoints(String(labels[a]), String(labels[b])));
}

const SMALL = 1 << 16;

function smallIntCodes(yTrue: ArrayLike<unknown>, yPred: ArrayLike<unknown>): Encoded | undefined {
  const seen = new Uint8Array(SMALL);
  const scan = (arr: ArrayLike<unknown>): boolean => {
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i];
      if (typeof v !== "number" || !(v >= 0 && v < SMALL) || (v | 0) !== v) return false;
      seen[v] = 1;
    }
    return true;
  };
  if (!scan(yTrue) || !scan(yPred)) return undefined;
  const rank = new Int32Array(SMALL).fill(-1);
  const labels: number[] = [];
  for (let v = 0; v < SMALL; v++) if (seen[v]) { rank[v] = labels.length; labels.push(v); }
  const code = (arr: ArrayLike<unknown>): Int32Array => {
    const out = new Int32Array(arr.length);
    for (let i = 0; i < arr.length; i++) out[i] = rank[arr[i] as number];
    return out;
  };
  return { labels, t: code(yTrue), p: code(yPred) };
}
