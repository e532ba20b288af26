// Typed column builders for the CSV reader: bytes -> Float64Array numbers, date millis, interned strings, booleans.
import type { Batch } from "./csv-tokenize.js";

/** A date column stored as epoch milliseconds (8 bytes a row); arquero reads it through `at()`. */
export class DateColumn {
  constructor(readonly ms: Float64Array) {}
  get length(): number { return this.ms.length; }
  at(i: number): Date | null {
    const v = this.ms[i];
    return v === undefined || Number.isNaN(v) ? null : new Date(v);
  }
  *[Symbol.iterator](): IterableIterator<Date | null> {
    for (let i = 0; i < this.ms.length; i++) yield this.at(i);
  }
}

/** Values that mean "missing" in any column (pandas' common na_values). */
export const MISSING = new Set(["", "NA", "N/A", "n/a", "NaN", "nan", "-NaN", "null", "NULL", "None", "<NA>", "#N/A"]);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|infinity)$/i;
const DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

export type ColumnKind = "number" | "date" | "boolean" | "string";

/** The kind of column a sample of raw field texts suggests (all-missing columns are numbers, like pandas). */
export function inferKind(sample: string[]): ColumnKind {
  let num = true, date = true, bool = true;
  for (const s of sample) {
    if (MISSING.has(s)) continue;
    if (num && !NUMBER.test(s)) num = false;
    if (date && !DATE.test(s)) date = false;
    if (bool && s !== "true" && s !== "false" && s !== "True" && s !== "False" && s !== "TRUE" && s !== "FALSE") bool = false;
    if (!num && !date && !bool) return "string";
  }
  return num ? "number" : date ? "date" : bool ? "boolean" : "string";
}

/** Converts one column of each batch; returns -1, or the batch row whose field does not fit the kind. */
export interface Builder {
  n: number;
  pushBatch(buf: Buffer, batch: Batch, col: number): number;
  finish(): unknown;
}

function numberText(text: string): number | undefined {
  const t = text.trim();
  if (MISSING.has(t)) return NaN;
  if (!NUMBER.test(t)) return undefined;
  return /inf/i.test(t) ? (t[0] === "-" ? -Infinity : Infinity) : Number(t);
}

function dateText(text: string): number | undefined {
  const t = text.trim();
  if (MISSING.has(t)) return NaN;
  if (!DATE.test(t)) return undefined;
  const v = Date.parse(t);
  return Number.isNaN(v) ? undefined : v;
}

abstract class Float64Builder implements Builder {
  n = 0;
  data: Float64Array;
  constructor(capacity: number) { this.data = new Float64Array(Math.max(16, capacity)); }
  protected reserve(rows: number): Float64Array {
    if (this.n + rows > this.data.length) {
      const next = new Float64Array(Math.ceil((this.n + rows) * 1.25) + 16);
      next.set(this.data.subarray(0, this.n));
      this.data = next;
    }
    return this.data;
  }
  abstract pushBatch(buf: Buffer, batch: Batch, col: number): number;
  abstract finish(): unknown;
}

/** Numbers: exact fast path for up to 15 digits (m / 10^k is correctly rounded, as parseFloat), else Number(). */
export class NumberBuilder extends Float64Builder {
  pushBatch(buf: Buffer, batch: Batch, col: number): number {
    const rows = batch.rows, b = batch.bounds, stride = batch.ncol * 2, data = this.reserve(rows);
    let n = this.n, off = col * 2;
    for (let r = 0; r < rows; r++, off += stride) {
      const s = b[off], e = b[off + 1];
      if (s < 0) {
        const v = numberText(batch.texts[-s - 1]);
        if (v === undefined) { this.n = n; return r; }
        data[n++] = v;
        continue;
      }
      if (s === e) { data[n++] = NaN; continue; }
      let i = s, neg = false, m = 0;
      const c0 = buf[i];
      if (c0 === 45) { neg = true; i++; } else if (c0 === 43) i++;
      const intStart = i;
      for (; i < e; i++) { const c = buf[i] - 48; if ((c >>> 0) > 9) break; m = m * 10 + c; }
      let digits = i - intStart, frac = 0;
      if (i < e && buf[i] === 46) {
        const fracStart = ++i;
        for (; i < e; i++) { const c = buf[i] - 48; if ((c >>> 0) > 9) break; m = m * 10 + c; }
        frac = i - fracStart;
        digits += frac;
      }
      const ok = i === e;
      if (ok && digits > 0 && digits <= 15) {
        const v = frac ? m / POW10[frac] : m;
        data[n++] = neg ? -v : v;
      } else {
        const v = numberText(buf.toString("latin1", s, e));
        if (v === undefined) { this.n = n; return r; }
        data[n++] = v;
      }
    }
    this.n = n;
    return -1;
  }
  finish(): Float64Array { return this.data.subarray(0, this.n); }
}

function daysIn(y: number, m: number): number {
  return m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm; integer math, no Date). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** ISO dates: "YYYY-MM-DD" (UTC midnight, as JS parses it) on a fast path, date-times through Date.parse. */
export class DateBuilder extends Float64Builder {
  pushBatch(buf: Buffer, batch: Batch, col: number): number {
    const rows = batch.rows, b = batch.bounds, stride = batch.ncol * 2, data = this.reserve(rows);
    let n = this.n, off = col * 2;
    for (let r = 0; r < rows; r++, off += stride) {
      const s = b[off], e = b[off + 1];
      let v: number | undefined;
      if (s >= 0 && e - s === 10 && buf[s + 4] === 45 && buf[s + 7] === 45) {
        const y = (buf[s] - 48) * 1000 + (buf[s + 1] - 48) * 100 + (buf[s + 2] - 48) * 10 + (buf[s + 3] - 48);
        const mo = (buf[s + 5] - 48) * 10 + (buf[s + 6] - 48), day = (buf[s + 8] - 48) * 10 + (buf[s + 9] - 48);
        if (y >= 0 && y <= 9999 && mo >= 1 && mo <= 12 && day >= 1 && day <= daysIn(y, mo)) v = daysFromCivil(y, mo, day) * 86400000;
      }
      if (v === undefined) v = dateText(s < 0 ? batch.texts[-s - 1] : buf.toString("latin1", s, e));
      if (v === undefined) { this.n = n; return r; }
      data[n++] = v;
    }
    this.n = n;
    return -1;
  }
  finish(): DateColumn { return new DateColumn(this.data.subarray(0, this.n)); }
}

/** true/false (any case pandas accepts); missing -> null. */
export class BooleanBuilder implements Builder {
  n = 0;
  data: (boolean | null)[] = [];
  pushBatch(buf: Buffer, batch: Batch, col: number): number {
    const b = batch.bounds, stride = batch.ncol * 2;
    for (let r = 0, off = col * 2; r < batch.rows; r++, off += stride) {
      const s = b[off];
      const t = (s < 0 ? batch.texts[-s - 1] : buf.toString("latin1", s, b[off + 1])).trim();
      if (t === "true" || t === "True" || t === "TRUE") this.data[this.n++] = true;
      else if (t === "false" || t === "False" || t === "FALSE") this.data[this.n++] = false;
      else if (MISSING.has(t)) this.data[this.n++] = null;
      else return r;
    }
    return -1;
  }
  finish(): (boolean | null)[] { this.data.length = this.n; return this.data; }
}

const INTERN_LIMIT = 1 << 16;

/** A string column stored as dictionary codes (4 bytes a row); arquero reads it through `at()`. */
export class DictColumn {
  constructor(readonly codes: Int32Array, readonly dictionary: (string | null)[]) {}
  get length(): number { return this.codes.length; }
  at(i: number): string | null {
    const k = this.codes[i];
    return k === undefined ? null : this.dictionary[k];
  }
  *[Symbol.iterator](): IterableIterator<string | null> {
    for (let i = 0; i < this.codes.length; i++) yield this.at(i);
  }
}

/**
 * Strings, as dictionary codes keyed by a hash of their bytes, so a categorical column costs 4
 * bytes a row and decodes each distinct value once; past 65,536 distinct values the column
 * turns into a plain array of strings.
 */
export class StringBuilder implements Builder {
  n = 0;
  private codes: Int32Array;
  private plain: (string | null)[] | undefined;
  private dictionary: (string | null)[] = [];
  private dictBytes: Uint8Array[] = [];
  private byHash = new Map<number, number>();
  private recent = new Int32Array(256).fill(-1);
  constructor(capacity: number) { this.codes = new Int32Array(Math.max(16, capacity)); }

  private code(value: string | null, bytes: Uint8Array | undefined, h: number): number {
    const k = this.dictionary.length;
    this.dictionary.push(value);
    this.dictBytes.push(bytes ?? new Uint8Array(0));
    if (!this.byHash.has(h)) this.byHash.set(h, k);
    return k;
  }

  private toPlain(): void {
    const plain: (string | null)[] = [];
    for (let i = 0; i < this.n; i++) plain.push(this.dictionary[this.codes[i]]);
    this.plain = plain;
    this.codes = new Int32Array(0);
    this.byHash.clear();
  }

  pushBatch(buf: Buffer, batch: Batch, col: number): number {
    if (!this.plain && this.n + batch.rows > this.codes.length) {
      const next = new Int32Array(Math.ceil((this.n + batch.rows) * 1.25) + 16);
      next.set(this.codes.subarray(0, this.n));
      this.codes = next;
    }
    const b = batch.bounds, stride = batch.ncol * 2;
    for (let r = 0, off = col * 2; r < batch.rows; r++, off += stride) {
      const s = b[off], e = b[off + 1];
      if (this.plain) {
        this.plain.push(s < 0 ? batch.texts[-s - 1] : s === e ? null : nullIfMissing(buf.toString("utf8", s, e)));
        this.n++;
        continue;
      }
      let k = -1;
      if (s < 0) k = this.code(batch.texts[-s - 1], undefined, -1);
      else if (s < e && (k = this.recent[((e - s) * 31 + buf[s] * 7 + buf[e - 1]) & 255]) >= 0 && sameBytes(this.dictBytes[k], buf, s, e)) {
        // a recently seen value with the same length, first and last byte: no hashing needed
      } else {
        k = -1;
        let h = 0x811c9dc5, ascii = true;
        for (let i = s; i < e; i++) { const c = buf[i]; h = Math.imul(h ^ c, 0x01000193); if (c > 127) ascii = false; }
        h = (h ^ (e - s)) & 0x3fffffff; // small-integer keys keep the Map lookup cheap
        const hit = this.byHash.get(h);
        if (hit !== undefined) {
          const bytes = this.dictBytes[hit];
          if (bytes.length === e - s) {
            let same = true;
            for (let j = 0; j < bytes.length; j++) if (bytes[j] !== buf[s + j]) { same = false; break; }
            if (same) k = hit;
          }
        }
        if (k < 0) {
          const text = s === e ? null : nullIfMissing(buf.toString(ascii ? "latin1" : "utf8", s, e));
          k = this.code(text, Uint8Array.prototype.slice.call(buf, s, e), h);
        }
        if (s < e) this.recent[((e - s) * 31 + buf[s] * 7 + buf[e - 1]) & 255] = k;
      }
      this.codes[this.n++] = k;
      if (this.dictionary.length > INTERN_LIMIT) this.toPlain();
    }
    return -1;
  }

  finish(): DictColumn | (string | null)[] {
    return this.plain ?? new DictColumn(this.codes.subarray(0, this.n), this.dictionary);
  }
}

function sameBytes(bytes: Uint8Array, buf: Buffer, s: number, e: number): boolean {
  if (bytes.length !== e - s) return false;
  for (let j = 0; j < bytes.length; j++) if (bytes[j] !== buf[s + j]) return false;
  return true;
}

function nullIfMissing(text: string): string | null {
  return MISSING.has(text) ? null : text;
}

/** Collects raw field texts (for type inference on the first rows). */
export class SampleBuilder implements Builder {
  n = 0;
  data: string[] = [];
  pushBatch(buf: Buffer, batch: Batch, col: number): number {
    const b = batch.bounds, stride = batch.ncol * 2;
    for (let r = 0, off = col * 2; r < batch.rows; r++, off += stride) {
      const s = b[off];
      this.data[this.n++] = s < 0 ? batch.texts[-s - 1] : buf.toString("utf8", s, b[off + 1]);
    }
    return -1;
  }
  finish(): string[] { this.data.length = this.n; return this.data; }
}

/** A builder for a column kind. */
export function builderFor(kind: ColumnKind, capacity: number): Builder {
  if (kind === "number") return new NumberBuilder(capacity);
  if (kind === "date") return new DateBuilder(capacity);
  if (kind === "boolean") return new BooleanBuilder();
  return new StringBuilder(capacity);
}
