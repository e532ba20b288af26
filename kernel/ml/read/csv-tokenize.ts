// The byte-level CSV/TSV tokenizer: finds field bounds of complete rows (RFC 4180 quotes, CRLF, chunk edges).
//
// It only records where fields are (a batch of start/end offsets); the column builders then
// convert one column at a time in tight monomorphic loops, which is ~3x faster than a
// per-field call into four different builder classes.

/** A malformed row (wrong field count, bad quoting), at a 1-based line and column. */
export class RowError extends Error {
  constructor(message: string, readonly line: number, readonly column: number) {
    super(message);
  }
}

const QUOTE = 34, LF = 10, CR = 13;

/** Field bounds of up to `capacity` rows: start/end byte offsets; a quoted field has start = -(k+1) into `texts`. */
export class Batch {
  rows = 0;
  readonly bounds: Int32Array;
  readonly lines: Int32Array;
  readonly rowStarts: Int32Array;
  texts: string[] = [];
  constructor(readonly ncol: number, readonly capacity: number) {
    this.bounds = new Int32Array(capacity * ncol * 2);
    this.lines = new Int32Array(capacity);
    this.rowStarts = new Int32Array(capacity);
  }
}

/** Tokenizes rows into a Batch; `line` is the line number of the next row. */
export class Tokenizer {
  line: number;
  constructor(private readonly delimiter: number, firstLine: number) {
    this.line = firstLine;
  }

  /**
   * Fill `batch` from buf[start, end); returns the offset of the first row not taken (an
   * incomplete row at a chunk edge, unless `final`, or the row that did not fit the batch).
   */
  process(buf: Buffer, start: number, end: number, final: boolean, batch: Batch): number {
    const d = this.delimiter, ncol = batch.ncol, bounds = batch.bounds;
    batch.rows = 0;
    batch.texts = [];
    let i = start;
    while (i < end && batch.rows < batch.capacity) {
      const rowStart = i;
      let c = buf[i];
      if (c === LF) { i++; this.line++; continue; }
      if (c === CR) {
        if (i + 1 >= end && !final) return i;
        i += buf[i + 1] === LF ? 2 : 1; this.line++; continue;
      }
      let col = 0, extraLines = 0;
      const base = batch.rows * ncol * 2;
      const textsBefore = batch.texts.length;
      for (;;) {
        const s = i;
        if (buf[i] === QUOTE) {
          let j = i + 1, escaped = false;
          for (;;) {
            if (j >= end) {
              if (final) throw new RowError("unterminated quoted field", this.line, s - rowStart + 1);
              batch.texts.length = textsBefore;
              return rowStart;
            }
            const b = buf[j];
            if (b === QUOTE) {
              if (j + 1 < end && buf[j + 1] === QUOTE) { escaped = true; j += 2; continue; }
              if (j + 1 >= end && !final) { batch.texts.length = textsBefore; return rowStart; }
              break;
            }
            if (b === LF) extraLines++;
            j++;
          }
          let text = buf.toString("utf8", i + 1, j);
          if (escaped) text = text.replaceAll('""', '"');
          i = j + 1;
          if (i < end) {
            const n = buf[i];
            if (n !== d && n !== LF && n !== CR) throw new RowError(`unexpected character after the closing quote of field ${col + 1}`, this.line, i - rowStart + 1);
          }
          if (col < ncol) { batch.texts.push(text); bounds[base + 2 * col] = -batch.texts.length; bounds[base + 2 * col + 1] = 0; }
        } else {
          while (i < end) { c = buf[i]; if (c === d || c === LF || c === CR) break; i++; }
          if (i >= end && !final) { batch.texts.length = textsBefore; return rowStart; }
          if (col < ncol) { bounds[base + 2 * col] = s; bounds[base + 2 * col + 1] = i; }
        }
        col++;
        if (i >= end) break;
        c = buf[i];
        if (c === d) {
          i++;
          if (i >= end && !final) { batch.texts.length = textsBefore; return rowStart; }
          if (i < end && buf[i] !== LF && buf[i] !== CR) continue;
          // a trailing delimiter: one more, empty field
          if (col < ncol) { bounds[base + 2 * col] = i; bounds[base + 2 * col + 1] = i; }
          col++;
          if (i >= end) break;
          c = buf[i];
        }
        if (c === CR) {
          if (i + 1 >= end && !final) { batch.texts.length = textsBefore; return rowStart; }
          i += buf[i + 1] === LF ? 2 : 1;
        } else i++;
        break;
      }
      if (col !== ncol) throw new RowError(`expected ${ncol} fields, got ${col}`, this.line, Math.max(1, i - rowStart));
      batch.lines[batch.rows] = this.line;
      batch.rowStarts[batch.rows] = rowStart;
      batch.rows++;
      this.line += 1 + extraLines;
    }
    return i;
  }
}
