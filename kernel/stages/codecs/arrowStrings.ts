// Arrow IPC of arquero tables with string columns built in bulk: the same bytes as arquero's toArrowIPC (so the same hashes), several times faster.
//
// arquero's toArrowIPC hands each string column to flechette's builders, which encode every value
// with its own TextEncoder call into a new array and grow buffers step by step. Here a string
// column of a plain array (all strings or missing) is sized first (UTF-8 lengths give the offsets),
// and dictionary columns key values with one Map; offsets, string bytes and keys are lazy pieces
// (chunks.ts), made window by window as they are hashed and written, so they never fill fresh
// memory. The buffers have exactly the lengths, padding and content flechette's builders give, and the table goes through flechette's own tableFromColumns
// and tableToIPC, so the IPC bytes are identical (checked by test/kernel/stages/arrowStrings.test.ts).
// Any other column, or any value that is not a string, takes arquero's own path.
import type * as aq from "arquero";
import { concatChunks, lazyBytes, type LazyBytes, type Piece } from "./chunks.js";
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

// Room for the buffers of lazy pieces, lent by one ArrayBuffer that is never written (so its pages
// are never backed): flechette only reads their lengths, and each view of one that reaches the
// sink is swapped for its lazy piece. Fresh placeholders per table (18 MB for bench/stages.ts's)
// made V8 collect garbage for the external memory each time.
let arena: ArrayBuffer | undefined;

/** The lazy pieces of one table, by where their placeholder sits in the arena. */
class Lazies {
  private readonly at = new Map<ArrayBufferLike, Map<number, LazyBytes>>();
  private next = 0;

  /** A zero-padded typed array of `length` elements in the arena, whose bytes `content` makes on demand. */
  array<T extends Uint8Array | Int32Array>(make: { new (buffer: ArrayBuffer, offset: number, length: number): T; BYTES_PER_ELEMENT: number }, length: number, content: () => (into: Uint8Array) => number): T {
    const bpe = make.BYTES_PER_ELEMENT;
    const size = (length * bpe + 7) & ~7;
    if (!arena || this.next + size > arena.byteLength) {
      arena = new ArrayBuffer(Math.max(64 << 20, 2 * size));
      this.next = 0;
    }
    const array = new make(arena, this.next, size / bpe);
    let byOffset = this.at.get(arena);
    if (!byOffset) this.at.set(arena, (byOffset = new Map()));
    byOffset.set(this.next, lazyBytes(size, content));
    this.next += size;
    return array;
  }

  /** The lazy piece a view of the arena stands for; undefined for any other bytes. */
  of(view: Uint8Array): LazyBytes | undefined {
    const byOffset = this.at.get(view.buffer);
    if (!byOffset) return undefined;
    const lazy = byOffset.get(view.byteOffset);
    if (!lazy || lazy.byteLength !== view.byteLength) throw new Error(`internal: a view of ${view.byteLength} bytes at ${view.byteOffset} of the lazy buffers is no lazy piece`);
    return lazy;
  }
}

/** Int32 view of whole 4-byte slots of a window (windows start 4-byte aligned: scratch buffers and the lazy targets). */
function int32Window(into: Uint8Array): Int32Array {
  if (into.byteOffset % 4 || into.byteLength < 4) throw new Error("internal: a window for Int32 values must start 4-byte aligned and hold one");
  return new Int32Array(into.buffer, into.byteOffset, into.byteLength >> 2);
}

/**
 * Offsets (n + 1 Int32) and UTF-8 bytes of strings (null/undefined: empty and not valid), as
 * flechette's BinaryBuilder.done() leaves them, both lazy: one pass here sizes them (UTF-8
 * lengths; equal to the UTF-16 lengths only for all-ASCII columns), the cursors make them window
 * by window. ASCII strings are copied character by character (measured on a 1M-row id column: a
 * JS copy beats one `join` + native encode, which costs 3x, and a native call per string); others
 * go through encodeInto (what TextEncoder.encode writes); a string longer than what is left of
 * a window is encoded once and copied over the windows.
 */
function encodeStrings(values: ArrayLike<unknown>, lazies: Lazies): { offsets: Int32Array; bytes: Uint8Array; nulls: number } | undefined {
  const n = values.length;
  let total = 0;
  let units = 0;
  let nulls = 0;
  // Each value's UTF-8 length, as sized: the offsets come from these, and the bytes pass checks each
  // value against its own (a value whose length changed in between is an error, not offsets of one table over the bytes of another).
  const lengths = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v == null) nulls++;
    else if (typeof v !== "string") return undefined;
    else {
      const len = utf8Length(v);
      lengths[i] = len;
      total += len;
      units += v.length;
    }
  }
  // all missing: arquero infers another type; leave it to flechette
  if (total > 0x7fffffff || nulls === n) return undefined;
  const strings = values as ArrayLike<string | null | undefined>;
  const ascii = total === units;
  const offsets = lazies.array(Int32Array, n + 1, () => {
    let i = 0;
    let pos = 0;
    return (into) => {
      const out = int32Window(into);
      let w = 0;
      for (; w < out.length && i <= n; w++, i++) {
        if (i > 0) pos += lengths[i - 1]!;
        out[w] = pos;
      }
      return w * 4;
    };
  });
  const bytes = lazies.array(Uint8Array, total + 1, () => {
    let i = 0;
    // a string that did not fit in a window: its bytes, and how many of them are out
    let long: Uint8Array | undefined;
    let longAt = 0;
    let made = 0;
    return (into) => {
      const room = into.byteLength;
      let w = 0;
      if (long) {
        const k = Math.min(room, long.byteLength - longAt);
        into.set(long.subarray(longAt, longAt + k));
        longAt += k;
        w = k;
        if (longAt < long.byteLength) {
          made += w;
          return w;
        }
        long = undefined;
      }
      for (; i < n; i++) {
        const v = strings[i];
        if (v == null) continue;
        const len = ascii ? v.length : utf8Length(v);
        if (len !== lengths[i]) throw changed();
        if (len > room - w) {
          if (w > 0) break;
          long = encoder.encode(v);
          longAt = Math.min(room, len);
          into.set(long.subarray(0, longAt));
          i++;
          made += longAt;
          return longAt;
        }
        if (len === v.length) for (let k = 0; k < len; k++) into[w + k] = v.charCodeAt(k);
        else encoder.encodeInto(v, into.subarray(w, w + len));
        w += len;
      }
      made += w;
      if (i === n && made !== total) throw changed();
      return w;
    };
  });
  return { offsets, bytes, nulls };
}

/** The error of a string column whose values changed between sizing and making its bytes (the stored table must not change while it is stored). */
function changed(): Error {
  return new Error("a string column of the table changed while it was being stored (arquero tables are stored as they were when the stage ended; do not modify their arrays)");
}

/** A utf8 column of one batch, as columnFromValues(values, utf8()) builds it; undefined unless the values are strings or missing, not all missing. */
function utf8Column(values: ArrayLike<unknown>, type: DataType, lazies: Lazies): Column<unknown> | undefined {
  const enc = encodeStrings(values, lazies);
  if (!enc) return undefined;
  const Batch = batchType(type) as unknown as new (o: object) => never;
  return new Column([new Batch({ length: values.length, nullCount: enc.nulls, type, validity: validityOf(values, enc.nulls), offsets: enc.offsets, values: enc.bytes })], type);
}

/** A dictionary(utf8) column of one batch, keys in first-seen order, as columnFromValues with the inferred type builds it; the keys are lazy (looked up again as they are made). */
function dictionaryColumn(values: ArrayLike<unknown>, lazies: Lazies): Column<unknown> | undefined {
  const type = dictionary(utf8());
  const n = values.length;
  const keys = new Map<string, number>();
  const uniques: string[] = [];
  const keyOf = (v: string): number => {
    // a handful of categories: comparing with each (equal strings are mostly one interned
    // string, so === is a pointer test) beats a Map lookup; more go through the Map
    if (uniques.length <= 8) {
      for (let j = 0; j < uniques.length; j++) if (uniques[j] === v) return j;
      return -1;
    }
    return keys.get(v) ?? -1;
  };
  let nullCount = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v == null) nullCount++;
    else if (typeof v !== "string") return undefined;
    else if (keyOf(v) < 0) {
      keys.set(v, uniques.length);
      uniques.push(v);
    }
  }
  if (nullCount === n) return undefined;
  const dict = utf8Column(uniques, type.dictionary as DataType, lazies);
  if (!dict) return undefined;
  const few = uniques.length <= 8;
  const strings = values as ArrayLike<string | null | undefined>;
  const indices = lazies.array(Int32Array, n, () => {
    let i = 0;
    return (into) => {
      const out = int32Window(into);
      let w = 0;
      for (; w < out.length && i < n; w++, i++) {
        const v = strings[i];
        if (v == null) out[w] = 0;
        else {
          // every value is one of the uniques (the pass above saw them all), unless the column changed since
          let k = 0;
          if (few) while (k < uniques.length && uniques[k] !== v) k++;
          else k = keys.get(v) ?? uniques.length;
          if (k === uniques.length) throw changed();
          out[w] = k;
        }
      }
      return w * 4;
    };
  });
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
export function tableToArrowChunks(table: aq.ColumnTable, types: Record<string, DataType> = {}): Piece[] {
  const lazies = new Lazies();
  const data = table.data() as Record<string, unknown>;
  const fullScan = !table.isFiltered() && !table.isOrdered();
  const columns = table.columnNames().map((name): [string, Column<unknown>] => {
    const values = data[name] as ArrayLike<unknown> & { toArray?: () => ArrayLike<unknown>; at?: (i: number) => unknown };
    const type = types[name];
    const isArray = Array.isArray(values) || ArrayBuffer.isView(values);
    if (fullScan && Array.isArray(values) && (type === undefined || (type as { typeId: number }).typeId === (utf8() as { typeId: number }).typeId)) {
      // undefined unless all strings or missing (not all missing): then arquero's path, as for any other column
      const col = type ? utf8Column(values, type, lazies) : dictionaryColumn(values, lazies);
      if (col) return [name, col];
    }
    // arquero's own toArrow, unchanged
    if (fullScan && (isArray || typeof values.toArray === "function")) return [name, columnFromArray((isArray ? values : values.toArray!()) as never, type)];
    const get = isArray ? (row: number) => values[row] : (row: number) => values.at!(row);
    return [name, columnFromValues((visit: (v: unknown) => void) => table.scan((row?: number) => visit(get(row!)), true), type)];
  });
  const pieces: Piece[] = [];
  // a placeholder arrives as a view of the whole of it: its lazy piece goes in its place
  const write = (bytes: Uint8Array) => void pieces.push(lazies.of(bytes) ?? bytes);
  const sink = { write, pad: (n: number) => void pieces.push(new Uint8Array(n)), finish: () => null };
  tableToIPC(tableFromColumns(columns), { format: "stream", sink: sink as never });
  return pieces;
}
