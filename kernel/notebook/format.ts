// The .mlnb file format: pure parse/serialize between file text and the notebook model.
//
// JSON with sorted keys, two-space indent and a trailing newline; every multi-line string
// (cell source, stream text, text outputs) is an array with one element per line, so a git
// diff of a notebook is a diff of lines. Outputs are kept in Jupyter's nbformat shapes.

import { jsonErrorPosition, jsonPathOffset, lineColumn } from "../json/scan.js";
import { JsonValueError, stringifySorted } from "../json/stringify.js";

export { jsonErrorPosition };

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

/** A place in the document: object keys and array indices from the top. */
type Path = (string | number)[];
type Fail = (path: Path, what: string) => never;

function showPath(path: Path): string {
  if (!path.length) return "(top level)";
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `${i ? "." : ""}${p}` : `[${JSON.stringify(p)}]`)).join("");
}

/**
 * Parse .mlnb text. `file` only names the file in error messages. Any text either parses or throws
 * NotebookFormatError with the line and column of the problem (for a structural error: where the
 * offending value starts, or where the object lacking a key starts), never another error, at any
 * nesting depth.
 */
export function parseNotebook(text: string, file = "notebook.mlnb"): Notebook {
  if (typeof text !== "string") throw new NotebookFormatError(`${file}: expected text, got ${typeof text}`, 1, 1, file);
  if (!text.trim()) return { cells: [], metadata: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const { line, column } = jsonErrorPosition(text, message);
    throw new NotebookFormatError(`${file}:${line}:${column}: not valid JSON: ${message}`, line, column, file);
  }
  const fail: Fail = (path, what) => {
    const { line, column } = lineColumn(text, jsonPathOffset(text, path));
    throw new NotebookFormatError(`${file}:${line}:${column}: ${showPath(path)}: ${what}`, line, column, file);
  };
  if (!isObject(raw)) return fail([], "expected an object");
  if (raw.mlnb !== FORMAT_VERSION) {
    fail(["mlnb"], raw.mlnb === undefined ? "missing format version (expected 1)" : `unsupported format version ${describe(raw.mlnb)} (this mlnb reads 1)`);
  }
  if (!Array.isArray(raw.cells)) fail(["cells"], raw.cells === undefined ? "missing (expected an array)" : "expected an array");
  const cells = (raw.cells as unknown[]).map((c, i): NotebookCell => {
    const at: Path = ["cells", i];
    if (!isObject(c)) return fail(at, "expected an object");
    if (c.kind !== "code" && c.kind !== "markdown") fail([...at, "kind"], `expected "code" or "markdown", got ${describe(c.kind)}`);
    const outputs = c.outputs === undefined ? [] : c.outputs;
    if (!Array.isArray(outputs)) fail([...at, "outputs"], "expected an array");
    return {
      kind: c.kind as CellKind,
      language: typeof c.language === "string" ? c.language : c.kind === "code" ? "typescript" : "markdown",
      source: joinLines(c.source, [...at, "source"], fail),
      outputs: (outputs as unknown[]).map((o, j) => parseOutput(o, [...at, "outputs", j], fail)),
      executionCount: typeof c.executionCount === "number" ? c.executionCount : null,
      metadata: isObject(c.metadata) ? c.metadata : {},
    };
  });
  return { cells, metadata: isObject(raw.metadata) ? raw.metadata : {} };
}

/** A short, safe description of a parsed value for messages (never calls the value's own methods). */
function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (Array.isArray(v)) return "an array";
  if (isObject(v)) return "an object";
  return String(v);
}

/**
 * Serialize a notebook to its canonical text (same notebook in, same bytes out). Keys such as
 * `__proto__` are kept; any depth of metadata works. A value with no JSON form (a cycle, a BigInt)
 * throws NotebookFormatError naming its path.
 */
export function serializeNotebook(nb: Notebook): string {
  const doc = {
    mlnb: FORMAT_VERSION,
    metadata: nb.metadata ?? {},
    cells: nb.cells.map((c) => {
      const cell: Record<string, unknown> = {
        kind: c.kind,
        source: splitLines(typeof c.source === "string" ? c.source : String(c.source ?? "")),
        metadata: c.metadata ?? {},
      };
      if (c.kind === "code") {
        cell.language = c.language || "typescript";
        cell.executionCount = c.executionCount ?? null;
        cell.outputs = (c.outputs ?? []).map(serializeOutput);
      }
      return cell;
    }),
  };
  try {
    return stringifySorted(doc, 2) + "\n";
  } catch (e) {
    if (e instanceof JsonValueError) throw new NotebookFormatError(`cannot save the notebook: ${e.message}`);
    // a string longer than V8's limit (hundreds of MB): say so rather than fail with a RangeError
    if (e instanceof RangeError) throw new NotebookFormatError(`cannot save the notebook: ${e.message} (the notebook is too large to save as text)`);
    throw e;
  }
}

/** Split text into lines for storage; the empty string is an empty array. */
export function splitLines(text: string): string[] {
  return text === "" ? [] : text.split("\n");
}

function joinLines(value: unknown, path: Path, fail: Fail): string {
  if (value === undefined) return "";
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((l) => typeof l === "string")) return value.join("\n");
  return fail(path, "expected a string or an array of lines");
}

function parseOutput(o: unknown, at: Path, fail: Fail): NotebookOutput {
  if (!isObject(o)) return fail(at, "expected an object");
  switch (o.output_type) {
    case "stream":
      return { output_type: "stream", name: o.name === "stderr" ? "stderr" : "stdout", text: joinLines(o.text, [...at, "text"], fail) };
    case "display_data":
    case "execute_result": {
      const data: Record<string, unknown> = {};
      for (const [mime, v] of Object.entries(isObject(o.data) ? o.data : {})) {
        setOwn(data, mime, isTextMime(mime) ? joinLines(v, [...at, "data", mime], fail) : v);
      }
      const metadata = isObject(o.metadata) ? o.metadata : {};
      return o.output_type === "display_data"
        ? { output_type: "display_data", data, metadata }
        : { output_type: "execute_result", data, metadata, execution_count: typeof o.execution_count === "number" ? o.execution_count : null };
    }
    case "error":
      return {
        output_type: "error",
        ename: text(o.ename, "Error"),
        evalue: text(o.evalue, ""),
        traceback: Array.isArray(o.traceback) ? o.traceback.map((l) => text(l, "")) : [],
      };
    default:
      return fail([...at, "output_type"], `unknown output type ${describe(o.output_type)}`);
  }
}

function serializeOutput(o: NotebookOutput): Record<string, unknown> {
  switch (o.output_type) {
    case "stream":
      return { ...o, text: splitLines(typeof o.text === "string" ? o.text : String(o.text ?? "")) };
    case "display_data":
    case "execute_result": {
      const data: Record<string, unknown> = {};
      for (const [mime, v] of Object.entries(o.data ?? {})) setOwn(data, mime, isTextMime(mime) && typeof v === "string" ? splitLines(v) : v);
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

/** Deep copy with object keys in sorted order (arrays keep their order); own keys such as `__proto__` stay keys. */
export function sortKeys(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(stringifySorted(value, 0));
}

/** A string field of an output: strings as they are, numbers and booleans as text, other values as JSON. */
function text(v: unknown, otherwise: string): string {
  if (v === undefined || v === null) return otherwise;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return stringifySorted(v, 0);
}

/** Set an own property, even `__proto__` (plain assignment would change the prototype instead). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
