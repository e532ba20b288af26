// The error every reader throws for bad input: names the source and, for text formats, the line and column.

/** A read failure at a known place in a source. */
export class ReadError extends Error {
  constructor(readonly source: string, message: string, readonly line?: number, readonly column?: number, options?: { cause?: unknown }) {
    super(`${source}${line !== undefined ? `:${line}${column !== undefined ? `:${column}` : ""}` : ""}: ${message}`, options);
    this.name = "ReadError";
  }
}

/** 1-based line and column of a character offset in a text (for parsers that report offsets). */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1, last = -1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) { line++; last = i; }
  return { line, column: offset - last };
}
