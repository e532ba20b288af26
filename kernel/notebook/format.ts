// The .mlnb file format: pure parse/serialize between file text and the notebook model.
//
// JSON with sorted keys, two-space indent and a trailing newline; every multi-line string
// (cell source, stream text, text outputs) is an array with one element per line, so a git
// diff of a notebook is a diff of lines. Outputs are kept in Jupyter's nbformat shapes.

import { jsonErrorOffset } from "./jsonError.js";

export const FORMAT_VERSION = 1;

export type CellKind = "code" | "markdown";

/** One output, in nbformat's shapes (text held as a plain string in memory). */
export type NotebookOutput =
  | { output_type: "stream"; name: "stdout" | "stderr"; text: string }
  | { output_type: "display_data"; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | { output_type: "execute_result"; data: Record<string, unknown>; metadata: Record<string, unknown>; execution_count: number | null }
  | { output_type: "error"; ename: string; evalue: string; traceback: string[] };

export interface NotebookCell {
  kind: CellKind;
  /** Language id of code cells (always "typescript" today). */
  language: string;
  source: string;
  outputs: NotebookOutput[];
  executionCount: number | null;
  metadata: Record<string, unknown>;
}

export interface Notebook {
  cells: NotebookCell[];
  metadata: Record<string, unknown>;
}

/** Thrown for a file that is not a valid .mlnb; carries the 1-based line and column. */
export class NotebookFormatError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
    readonly file?: string,
  ) {
    super(message);
    this.name = "NotebookFormatError";
  }
}

/** Parse .mlnb text. `file` only names the file in error messages. */
export function parseNotebook(text: string, file = "notebook.mlnb"): Notebook {
  if (!text.trim()) return { cells: [], metadata: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const { line, column } = jsonErrorPosition(text, (e as Error).message);
    throw new NotebookFormatError(`${file}:${line}:${column}: not valid JSON: ${(e as Error).message}`, line, column, file);
  }
  const fail = (path: string, what: string): never => {
    throw new NotebookFormatError(`${file}: ${path}: ${what}`, undefined, undefined, file);
  };
  if (!isObject(raw)) return fail("(top level)", "expected an object");
  if (raw.mlnb !== FORMAT_VERSION) {
    fail("mlnb", raw.mlnb === undefined ? "missing format version (expected 1)" : `unsupported format version ${JSON.stringify(raw.mlnb)} (this mlnb reads 1)`);
  }
  if (!Array.isArray(raw.cells)) fail("cells", "expected an array");
  const cells = (raw.cells as unknown[]).map((c, i): NotebookCell => {
    const at = `cells[${i}]`;
    if (!isObject(c)) return fail(at, "expected an object");
    if (c.kind !== "code" && c.kind !== "markdown") fail(`${at}.kind`, `expected "code" or "markdown", got ${JSON.stringify(c.kind)}`);
    const outputs = c.outputs === undefined ? [] : c.outputs;
    if (!Array.isArray(outputs)) fail(`${at}.outputs`, "expected an array");
    return {
      kind: c.kind as CellKind,
      language: typeof c.language === "string" ? c.language : c.kind === "code" ? "typescript" : "markdown",
      source: joinLines(c.source, `${at}.source`, fail),
      outputs: (outputs as unknown[]).map((o, j) => parseOutput(o, `${at}.outputs[${j}]`, fail)),
      executionCount: typeof c.executionCount === "number" ? c.executionCount : null,
      metadata: isObject(c.metadata) ? c.metadata : {},
    };
  });
  return { cells, metadata: isObject(raw.metadata) ? raw.metadata : {} };
}

/** Serialize a notebook to its canonical text (same notebook in, same bytes out). */
export function serializeNotebook(nb: Notebook): string {
  const doc = {
    mlnb: FORMAT_VERSION,
    metadata: nb.metadata ?? {},
    cells: nb.cells.map((c) => {
      const cell: Record<string, unknown> = {
        kind: c.kind,
        source: splitLines(c.source),
        metadata: c.metadata ?? {},
      };
      if (c.kind === "code") {
        cell.language = c.language || "typescript";
        cell.executionCount = c.executionCount ?? null;
        cell.outputs = c.outputs.map(serializeOutput);
      }
      return cell;
    }),
  };
  return JSON.stringify(sortKeys(doc), null, 2) + "\n";
}

/** Split text into lines for storage; the empty string is an empty array. */
export function splitLines(text: string): string[] {
  return text === "" ? [] : text.split("\n");
}

function joinLines(value: unknown, path: string, fail: (p: string, w: string) => never): string {
  if (value === undefined) return "";
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((l) => typeof l === "string")) return value.join("\n");
  return fail(path, "expected a string or an array of lines");
}

function parseOutput(o: unknown, at: string, fail: (p: string, w: string) => never): NotebookOutput {
  if (!isObject(o)) return fail(at, "expected an object");
  switch (o.output_type) {
    case "stream":
      return { output_type: "stream", name: o.name === "stderr" ? "stderr" : "stdout", text: joinLines(o.text, `${at}.text`, fail) };
    case "display_data":
    case "execute_result": {
      const data: Record<string, unknown> = {};
      for (const [mime, v] of Object.entries(isObject(o.data) ? o.data : {})) {
        data[mime] = isTextMime(mime) ? joinLines(v, `${at}.data.${mime}`, fail) : v;
      }
      const metadata = isObject(o.metadata) ? o.metadata : {};
      return o.output_type === "display_data"
        ? { output_type: "display_data", data, metadata }
        : { output_type: "execute_result", data, metadata, execution_count: typeof o.execution_count === "number" ? o.execution_count : null };
    }
    case "error":
      return {
        output_type: "error",
        ename: String(o.ename ?? "Error"),
        evalue: String(o.evalue ?? ""),
        traceback: Array.isArray(o.traceback) ? o.traceback.map(String) : [],
      };
    default:
      return fail(`${at}.output_type`, `unknown output type ${JSON.stringify(o.output_type)}`);
  }
}

function serializeOutput(o: NotebookOutput): Record<string, unknown> {
  switch (o.output_type) {
    case "stream":
      return { ...o, text: splitLines(o.text) };
    case "display_data":
    case "execute_result": {
      const data: Record<string, unknown> = {};
      for (const [mime, v] of Object.entries(o.data)) data[mime] = isTextMime(mime) && typeof v === "string" ? splitLines(v) : v;
      return { ...o, data };
    }
    case "error":
      return { ...o };
  }
}

/** Text mimes are stored as line arrays; JSON mimes as JSON. */
export function isTextMime(mime: string): boolean {
  return !mime.endsWith("json") && (mime.startsWith("text/") || mime === "image/svg+xml" || mime === "image/png" || mime.startsWith("application/javascript"));
}

/** Deep copy with object keys in sorted order (arrays keep their order). */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) if (value[k] !== undefined) out[k] = sortKeys(value[k]);
    return out;
  }
  return value;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Turn V8's JSON.parse message ("... at position 12" or "line 2 column 5") into line/column. */
export function jsonErrorPosition(text: string, message: string): { line: number; column: number } {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /position (\d+)/.exec(message);
  // Node 20's "Unexpected token" messages carry no position: find it by scanning.
  const offset = pos ? Number(pos[1]) : (jsonErrorOffset(text) ?? text.length);
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - (before.lastIndexOf("\n") + 1) + 1;
  return { line, column };
}
