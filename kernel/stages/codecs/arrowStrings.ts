// Arrow IPC of arquero tables with string columns built in bulk: the same bytes as arquero's toArrowIPC (so the same hashes), several times faster.
//
// arquero's toArrowIPC hands each string column to flechette's builders, which encode every value
// with its own TextEncoder call into a new array and grow buffers step by step. Here a string
// column of a plain array (all strings or missing) is sized first (UTF-8 lengths give the offsets),
// and dictionary columns are keyed in one pass into one byte a row; offsets, string bytes and Int32
// keys are lazy pieces (chunks.ts), made window by window as they are hashed and written, so they
// never fill fresh memory. The buffers have exactly the lengths, padding and content flechette's builders give, and the table goes through flechette's own tableFromColumns
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

/** The next value of the lengths checksum (see `encodeStrings`): a change of any one length always changes it. */
function step(sum: number, len: number): number {
  return (Math.imul(sum, 31) + len) | 0;
}

/**
 * Offsets (n + 1 Int32) and UTF-8 bytes of strings (null/undefined: empty and not valid), as
 * flechette's BinaryBuilder.done() leaves them, both lazy: one pass here sizes them (UTF-8
 * lengths; equal to the UTF-16 lengths only for all-ASCII columns), the cursors make them window
 * by window. ASCII strings are copied character by character (measured on a 1M-row id column: a
 * JS copy beats one `join` + native encode, which costs 3x, and a native call per string); others
 * go through encodeInto (what TextEncoder.encode writes); a string longer than what is left of
 * a window is encoded once and copied over the windows.
 *
 * The lengths are not kept (4 bytes a row of fresh memory: 15 ms of page faults for 1M rows on the
 * VMs measured, as long as sizing them): each cursor measures every value again (for ASCII columns
 * its `length`) and checks the running total and a checksum of the lengths against the sizing
 * pass's, so a column changed in between (a length, a value that is no longer a string) is an
 * error, not offsets of one table over the bytes of another. The checksum (x31 per value, mod 2^32)
 * catches any one changed length for certain, several at once but for a 2^-32 chance.
 */
function encodeStrings(values: ArrayLike<unknown>, lazies: Lazies): { offsets: Int32Array; bytes: Uint8Array; nulls: number } | undefined {
  const n = values.length;
  let total = 0;
  let units = 0;
  let nulls = 0;
  let check = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v == null) {
      nulls++;
      check = step(check, 0);
    } else if (typeof v !== "string") return undefined;
    else {
      const len = utf8Length(v);
      check = step(check, len);
      total += len;
      units += v.length;
    }
  }
  // all missing: arquero infers another type; leave it to flechette
  if (total > 0x7fffffff || nulls === n) return undefined;
  const strings = values as ArrayLike<string | null | undefined>;
  const ascii = total === units;
  /** A value's UTF-8 length as sized (0 when missing); -1 for a value that is no longer a string. */
  const lengthOf = (v: unknown): number => (v == null ? 0 : typeof v !== "string" ? -1 : ascii ? v.length : utf8Length(v));
  const offsets = lazies.array(Int32Array, n + 1, () => {
    let i = 0;
    let pos = 0;
    let sum = 0;
    return (into) => {
      const out = int32Window(into);
      let w = 0;
      for (; w < out.length && i <= n; w++, i++) {
        if (i > 0) {
          const len = lengthOf(strings[i - 1]);
          if (len < 0) throw changed();
          pos += len;
          sum = step(sum, len);
        }
        out[w] = pos;
      }
      if (i > n && (pos !== total || sum !== check)) throw changed();
      return w * 4;
    };
  });
  const bytes = lazies.array(Uint8Array, total + 1, () => {
    let i = 0;
    // a string that did not fit in a window: its bytes, and how many of them are out
    let long: Uint8Array | undefined;
    let longAt = 0;
    let made = 0;
    let sum = 0;
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
        const len = lengthOf(v);
        if (len <= 0) {
          if (len < 0) throw changed();
          sum = step(sum, 0);
          continue;
        }
        if (made + w + len > total) throw changed();
        if (len > room - w) {
          if (w > 0) break;
          long = encoder.encode(v as string);
          if (long.byteLength !== len) throw changed();
          longAt = Math.min(room, len);
          into.set(long.subarray(0, longAt));
          sum = step(sum, len);
          i++;
          made += longAt;
          return longAt;
        }
        sum = step(sum, len);
        const s = v as string;
        if (len === s.length) for (let k = 0; k < len; k++) into[w + k] = s.charCodeAt(k);
        else encoder.encodeInto(s, into.subarray(w, w + len));
        w += len;
      }
      made += w;
      if (i === n && (made !== total || sum !== check)) throw changed();
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

/** The key of `v` among a handful of distinct categories, -1 when it is none of them: no branch per category (random categories mispredict a search that stops at the first match; equal strings are mostly one interned string, so === is a pointer test). */
function fewKey(uniques: readonly string[], v: string): number {
  let k = 0;
  for (let j = 0; j < uniques.length; j++) k += +(uniques[j] === v) * (j + 1);
  return k - 1;
}

/**
 * A dictionary(utf8) column of one batch, keys in first-seen order, as columnFromValues with the
 * inferred type builds it. One pass keys every value (up to 8 categories by comparing with each,
 * more through a Map) into a compact array, one byte a row while there are at most 256 categories,
 * else four; the Int32 keys Arrow stores are a lazy piece widened from it window by window.
 * Looking the values up again while the keys were made cost as much as the first pass (10 ms for
 * 1M rows of 3 random categories); widening costs 0.5 ms. The keys are those of the values as they
 * were when encoded: the stored column does not change with the table's array after that.
 */
function dictionaryColumn(values: ArrayLike<unknown>, lazies: Lazies): Column<unknown> | undefined {
  const type = dictionary(utf8());
  const n = values.length;
  const byValue = new Map<string, number>();
  const uniques: string[] = [];
  let keys: Uint8Array | Int32Array = new Uint8Array(n);
  let nullCount = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    let k = 0;
    if (v == null) nullCount++;
    else if (typeof v !== "string") return undefined;
    else {
      k = uniques.length <= 8 ? fewKey(uniques, v) : (byValue.get(v) ?? -1);
      if (k < 0) {
        k = uniques.length;
        byValue.set(v, k);
        uniques.push(v);
        if (k === 256) {
          const wide = new Int32Array(n);
          wide.set(keys.subarray(0, i));
          keys = wide;
        }
      }
    }
    keys[i] = k;
  }
  if (nullCount === n) return undefined;
  const dict = utf8Column(uniques, type.dictionary as DataType, lazies);
  if (!dict) return undefined;
  const made = keys;
  const indices = lazies.array(Int32Array, n, () => {
    let i = 0;
    return (into) => {
      const out = int32Window(into);
      const m = Math.min(out.length, n - i);
      out.set(made.subarray(i, i + m));
      i += m;
      return m * 4;
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
