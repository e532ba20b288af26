// Arrow IPC of arquero tables with string columns built in bulk: the same bytes as arquero's toArrowIPC (so the same hashes), several times faster.
//
// arquero's toArrowIPC hands each string column to flechette's builders, which encode every value
// with its own TextEncoder call into a new array and grow buffers step by step. Here a string
// column of a plain array (all strings or missing) is sized first (UTF-8 lengths give the offsets)
// and written into one buffer, and dictionary columns key values with one Map. The buffers have exactly the lengths, padding and
// content flechette's builders give, and the table goes through flechette's own tableFromColumns
// and tableToIPC, so the IPC bytes are identical (checked by test/kernel/stages/arrowStrings.test.ts).
// Any other column, or any value that is not a string, takes arquero's own path.
import type * as aq from "arquero";
import { concatChunks } from "./chunks.js";
import { batchType, Column, columnFromArray, columnFromValues, dictionary, tableFromColumns, tableToIPC, utf8 } from "@uwdata/flechette";

type DataType = NonNullable<Parameters<typeof columnFromValues>[1]>;

/** flechette's 8-byte alignment: a typed array of at least `length` elements, zero-padded to a multiple of 8 bytes. */
function aligned<T extends Uint8Array | Int32Array>(make: new (n: number) => T, length: number): T {
  const bpe = make === (Int32Array as unknown) ? 4 : 1;
  return new make((((length * bpe) + 7) & ~7) / bpe);
}

/** Validity bitmap as flechette's builders leave it: empty without nulls, else one bit per row. */
function validityOf(values: ArrayLike<unknown>, nullCount: number): Uint8Array {
  if (!nullCount) return new Uint8Array(0);
  const bits = aligned(Uint8Array, ((values.length - 1) >> 3) + 1);
  for (let i = 0; i < values.length; i++) if (values[i] != null) bits[i >> 3]! |= 1 << (i % 8);
  return bits;
}

/** UTF-8 length of a string as TextEncoder writes it (a lone surrogate becomes U+FFFD, 3 bytes). */
function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { n += 2; i++; }
    else n += 2;
  }
  return n;
}

const encoder = new TextEncoder();

/**
 * Offsets and bytes of strings (null/undefined: empty and not valid), as flechette's
 * BinaryBuilder.done() leaves them. First tried as all-ASCII, in one pass over the characters:
 * offsets from the UTF-16 lengths, each character copied as it is checked (measured on a 1M-row id
 * column: a JS copy beats one `join` + native encode, which costs 3x, and a native call per
 * string). The first non-ASCII character sends the column to the general path.
 */
function encodeStrings(values: ArrayLike<string | null | undefined>): { offsets: Int32Array; bytes: Uint8Array } | undefined {
  return encodeAscii(values) ?? encodeUtf8(values);
}

/** The all-ASCII case of encodeStrings, or undefined at the first character >= 0x80. */
function encodeAscii(values: ArrayLike<string | null | undefined>): { offsets: Int32Array; bytes: Uint8Array } | undefined {
  const n = values.length;
  const offsets = aligned(Int32Array, n + 1);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v != null) pos += v.length;
    offsets[i + 1] = pos;
  }
  if (pos > 0x7fffffff) return undefined;
  const bytes = aligned(Uint8Array, pos + 1);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v == null) continue;
    const at = offsets[i]!;
    for (let k = 0; k < v.length; k++) {
      const c = v.charCodeAt(k);
      if (c >= 0x80) return undefined;
      bytes[at + k] = c;
    }
  }
  return { offsets, bytes };
}

/** Any strings: UTF-8 lengths first, then ASCII strings copied and others encoded in place with encodeInto (what TextEncoder.encode writes). */
function encodeUtf8(values: ArrayLike<string | null | undefined>): { offsets: Int32Array; bytes: Uint8Array } | undefined {
  const n = values.length;
  const offsets = aligned(Int32Array, n + 1);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v != null) pos += utf8Length(v);
    offsets[i + 1] = pos;
  }
  if (pos > 0x7fffffff) return undefined;
  const bytes = aligned(Uint8Array, pos + 1);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v == null) continue;
    const at = offsets[i]!;
    if (offsets[i + 1]! - at === v.length) for (let k = 0; k < v.length; k++) bytes[at + k] = v.charCodeAt(k);
    else encoder.encodeInto(v, bytes.subarray(at, offsets[i + 1]));
  }
  return { offsets, bytes };
}

/** Count nulls of a column that holds only strings and missing values; -1 if any value is something else. */
function stringNulls(values: ArrayLike<unknown>): number {
  let nulls = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v == null) nulls++;
    else if (typeof v !== "string") return -1;
  }
  return nulls;
}

/** A utf8 column of one batch, as columnFromValues(values, utf8()) builds it. */
function utf8Column(values: ArrayLike<string | null | undefined>, nullCount: number, type: DataType): Column<unknown> | undefined {
  const enc = encodeStrings(values);
  if (!enc) return undefined;
  const Batch = batchType(type) as unknown as new (o: object) => never;
  return new Column([new Batch({ length: values.length, nullCount, type, validity: validityOf(values, nullCount), offsets: enc.offsets, values: enc.bytes })], type);
}

/** A dictionary(utf8) column of one batch, keys in first-seen order, as columnFromValues with the inferred type builds it. */
function dictionaryColumn(values: ArrayLike<string | null | undefined>, nullCount: number): Column<unknown> | undefined {
  const type = dictionary(utf8());
  const n = values.length;
  const keys = new Map<string, number>();
  const uniques: string[] = [];
  const indices = aligned(Int32Array, n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v == null) continue;
    // a handful of categories: comparing with each (equal strings are mostly one interned
    // string, so === is a pointer test) beats a Map lookup; more go through the Map
    let k = -1;
    if (uniques.length <= 8) {
      for (let j = 0; j < uniques.length; j++) if (uniques[j] === v) { k = j; break; }
    } else k = keys.get(v) ?? -1;
    if (k < 0) { k = uniques.length; keys.set(v, k); uniques.push(v); }
    indices[i] = k;
  }
  const dict = utf8Column(uniques, 0, type.dictionary as DataType);
  if (!dict) return undefined;
  const Batch = batchType(type) as unknown as new (o: object) => { setDictionary(d: Column<unknown>): unknown };
  const batch = new Batch({ length: n, nullCount, type, validity: validityOf(values, nullCount), values: indices });
  batch.setDictionary(dict);
  return new Column([batch as never], type);
}

/**
 * `aq.toArrowIPC(table, { format: "stream", types })`, byte for byte, with string columns built in
 * bulk. `types` may give utf8() for a column (else strings get arquero's inferred dictionary).
 */
export function tableToArrowIPC(table: aq.ColumnTable, types: Record<string, DataType> = {}): Uint8Array {
  return concatChunks(tableToArrowChunks(table, types));
}

/**
 * The bytes of `tableToArrowIPC` as the pieces flechette's encoder emits (message headers, padding
 * and the column buffers themselves: a numeric column is the table's own array), not copied into
 * one buffer. Hash and write them as they are (chunks.ts).
 */
export function tableToArrowChunks(table: aq.ColumnTable, types: Record<string, DataType> = {}): Uint8Array[] {
  const data = table.data() as Record<string, unknown>;
  const fullScan = !table.isFiltered() && !table.isOrdered();
  const columns = table.columnNames().map((name): [string, Column<unknown>] => {
    const values = data[name] as ArrayLike<unknown> & { toArray?: () => ArrayLike<unknown>; at?: (i: number) => unknown };
    const type = types[name];
    const isArray = Array.isArray(values) || ArrayBuffer.isView(values);
    if (fullScan && Array.isArray(values) && (type === undefined || (type as { typeId: number }).typeId === (utf8() as { typeId: number }).typeId)) {
      const nulls = stringNulls(values);
      // all missing: arquero infers another type; leave it to flechette
      if (nulls >= 0 && nulls < values.length) {
        const strings = values as (string | null | undefined)[];
        const col = type ? utf8Column(strings, nulls, type) : dictionaryColumn(strings, nulls);
        if (col) return [name, col];
      }
    }
    // arquero's own toArrow, unchanged
    if (fullScan && (isArray || typeof values.toArray === "function")) return [name, columnFromArray((isArray ? values : values.toArray!()) as never, type)];
    const get = isArray ? (row: number) => values[row] : (row: number) => values.at!(row);
    return [name, columnFromValues((visit: (v: unknown) => void) => table.scan((row?: number) => visit(get(row!)), true), type)];
  });
  const pieces: Uint8Array[] = [];
  const sink = { write: (bytes: Uint8Array) => void pieces.push(bytes), pad: (n: number) => void pieces.push(new Uint8Array(n)), finish: () => null };
  tableToIPC(tableFromColumns(columns), { format: "stream", sink: sink as never });
  return pieces;
}
