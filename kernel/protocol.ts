// The typed JSON-lines protocol between a kernel process and its clients (VS Code extension, CLI).
//
// Transport: requests are JSON lines on the kernel's stdin; replies are JSON lines on the
// kernel's fd 3. Anything the kernel process writes to its raw stdout/stderr (native code,
// crash traces) is forwarded by the client as a stream of the running execution.

/** A mime bundle, as in Jupyter: mime type -> data (string, or JSON for +json types). */
export type MimeBundle = Record<string, unknown>;

/** How strictly a cell is type checked before it runs. */
export type TypeCheckMode = "error" | "warn" | "off";

export interface ExecuteOptions {
  typeCheck?: TypeCheckMode;
  /** Bypass the stage cache for this execution. */
  noCache?: boolean;
  /** Notebook parameters overriding `%%params` defaults (`-p name=value`). */
  params?: Record<string, string>;
}

export type Request =
  | { type: "execute"; id: string; code: string; cellId?: string; options?: ExecuteOptions }
  /** Ask for the kernel's state or a command that is not cell code (stage table, etc.). */
  | { type: "command"; id: string; command: string; args?: Record<string, unknown> }
  | { type: "interrupt" }
  | { type: "shutdown" }
  /** Completions at `cursor_pos` (UTF-16 offset) in `code`, earlier executed cells known (Jupyter's complete_request). */
  | { type: "complete"; id: string; code: string; cursor_pos: number }
  /** Type and doc comment of the name at `cursor_pos` (Jupyter's inspect_request). */
  | { type: "inspect"; id: string; code: string; cursor_pos: number; detail_level?: 0 | 1 };

export interface ErrorInfo {
  name: string;
  message: string;
  /** Stack with frames of cell code mapped to the cell's own line numbers. */
  stack?: string;
  /** Cell-relative 1-based line and column, when the error has a position in the cell. */
  line?: number;
  column?: number;
}

export type ExecStatus = "ok" | "error" | "interrupted";

export type Reply =
  | { type: "ready"; pid: number; version: string; node: string }
  | { type: "status"; state: "busy" | "idle" }
  | { type: "stream"; id: string; name: "stdout" | "stderr"; text: string }
  /** `displayId` lets a later display with the same id replace it (progress updating in place). */
  | { type: "display"; id: string; data: MimeBundle; displayId?: string; update?: boolean }
  | { type: "result"; id: string; data: MimeBundle }
  | { type: "error"; id: string; error: ErrorInfo }
  /** Stage bookkeeping for the cell, when it is a stage (name, state, cached, duration...). */
  | { type: "stage"; id: string; info: Record<string, unknown> }
  | { type: "done"; id: string; status: ExecStatus; executionCount: number; durationMs: number }
  /**
   * An error that escaped every cell (thrown in a timer, an unhandled rejection) after the cell
   * that caused it finished, or outside any cell: `id` is that cell's execution when known. The
   * kernel lives on; clients show it on that cell (else the next one) and in the CLI.
   */
  | { type: "fault"; id?: string; error: ErrorInfo }
  | { type: "commandResult"; id: string; ok: boolean; result?: unknown; error?: string }
  /** Answer to `complete`: replace code[cursor_start, cursor_end) by one of `matches`. */
  | { type: "completeReply"; id: string; matches: string[]; cursor_start: number; cursor_end: number }
  /** Answer to `inspect`: `data["text/markdown"]` holds the signature and doc comment when found. */
  | { type: "inspectReply"; id: string; found: boolean; data: MimeBundle };

/** Encode one message as a JSON line. */
export function encode(message: Request | Reply): string {
  return JSON.stringify(message) + "\n";
}

/**
 * Splits a byte stream into JSON messages. Feed chunks; complete lines come out parsed.
 * A line that is not JSON is handed to `onGarbage` rather than thrown, so one bad line
 * cannot wedge the channel.
 *
 * Linear in the bytes fed: a partial line is kept as a list of chunks and only each new chunk
 * is searched for a newline, so a 40 MB line arriving in 64 KB pieces is joined once (not
 * re-scanned and re-copied per piece). Lines are decoded as UTF-8 whole, so a character split
 * between two chunks survives.
 */
export class LineDecoder<T> {
  private pending: Buffer[] = [];
  constructor(
    private readonly onMessage: (message: T) => void,
    private readonly onGarbage: (line: string) => void = () => {},
  ) {}

  push(chunk: string | Buffer): void {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    let start = 0;
    let newline: number;
    while ((newline = bytes.indexOf(10, start)) >= 0) {
      const piece = bytes.subarray(start, newline);
      const line = this.pending.length ? Buffer.concat([...this.pending, piece]) : piece;
      this.pending = [];
      start = newline + 1;
      this.emit(line.toString("utf8"));
    }
    if (start < bytes.length) this.pending.push(start === 0 ? bytes : bytes.subarray(start));
  }

  private emit(line: string): void {
    if (!line.trim()) return;
    let parsed: T;
    try {
      parsed = JSON.parse(line) as T;
    } catch {
      this.onGarbage(line);
      return;
    }
    this.onMessage(parsed);
  }
}

/** Mime type VS Code shows as an error with its stack. */
export const ERROR_MIME = "application/vnd.code.notebook.error";
/** Mime type of vega-lite specs (rendered by the extension's renderer). */
export const VEGALITE_MIME = "application/vnd.vegalite.v5+json";

// ---- The notebook language server (out/kernel/lang/server.js): JSON lines on its stdin/stdout. ----
// One process per VS Code window serves every open notebook; it never runs cell code.

/** What an IntelliSense request asks (offsets are UTF-16 offsets in the cell's text). */
export type LangQuery = "complete" | "hover" | "signature" | "definition";

export type LangRequest =
  /** The notebook's code cells, in order (sent after edits, and before any query). */
  | { type: "cells"; notebook: string; cells: { id: string; text: string }[] }
  | { type: "close"; notebook: string }
  | { type: LangQuery; id: number; notebook: string; cellId: string; offset: number };

export type LangReply =
  | { type: "answer"; id: number; result: unknown }
  | { type: "failed"; id: number; message: string }
  /** Problems of every code cell (debounced after edits); a cell with none maps to []. */
  | { type: "diagnostics"; notebook: string; cells: Record<string, { start: number; end: number; message: string; code: number; severity: "error" | "warning" }[]> }
  /** A problem of the server itself (a tsconfig.json it could not read...), for the log. */
  | { type: "log"; message: string };
