// The error every reader throws for bad input: names the source and, for text formats, the line and column.

/** A read failure at a known place in a source. */
export class ReadError extends Error {
  constructor(readonly source: string, message: string, readonly line?: number, readonly column?: number, options?: { cause?: unknown }) {
    super(`${source}${line !== undefined ? `:${line}${column !== undefined ? `:${column}` : ""}` : ""}: ${message}`, options);
    this.name = "ReadError";
  }
}

export { jsonErrorOffset, lineColumn } from "../../json/scan.js";
