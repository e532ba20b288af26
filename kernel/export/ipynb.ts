// Jupyter interop: .mlnb <-> nbformat 4.5 .ipynb (magics stay cell text, outputs are kept).
import { isTextMime, jsonErrorPosition, type Notebook, type NotebookCell, type NotebookOutput } from "../notebook/format.js";

/** A file that is not a notebook this importer understands; the message names the file and field. */
export class IpynbError extends Error {
  override name = "IpynbError";
}

type Json = Record<string, unknown>;

const KERNELSPEC = { name: "mlnb", display_name: "mlnb (TypeScript)", language: "typescript" };
const LANGUAGE_INFO = { name: "typescript", file_extension: ".ts", mimetype: "text/typescript" };

/** nbformat's multiline string: lines each keeping their "\n" (the last without). */
function lines(text: string): string[] {
  if (text === "") return [];
  const parts = text.split("\n");
  return parts.map((l, i) => (i < parts.length - 1 ? `${l}\n` : l)).filter((l) => l !== "");
}

const isJsonMime = (mime: string) => mime === "application/json" || /^application\/.+\+json$/.test(mime);

function mimeBundleOut(data: Record<string, unknown>): Json {
  const out: Json = {};
  for (const [mime, v] of Object.entries(data)) {
    if (isJsonMime(mime)) out[mime] = v;
    else out[mime] = lines(typeof v === "string" ? v : JSON.stringify(v));
  }
  return out;
}

function outputOut(o: NotebookOutput): Json {
  switch (o.output_type) {
    case "stream":
      return { output_type: "stream", name: o.name, text: lines(o.text) };
    case "display_data":
      return { output_type: "display_data", data: mimeBundleOut(o.data), metadata: o.metadata ?? {} };
    case "execute_result":
      return { output_type: "execute_result", data: mimeBundleOut(o.data), metadata: o.metadata ?? {}, execution_count: o.execution_count };
    case "error":
      return { output_type: "error", ename: o.ename, evalue: o.evalue, traceback: o.traceback };
  }
}

/**
 * The notebook as nbformat 4.5 JSON text: code cells keep their source (magics included) and
 * outputs, markdown cells their text; every cell gets an id; the .mlnb metadata is kept under
 * `metadata.mlnb`, so importing it back gives the same notebook.
 */
export function toIpynb(nb: Notebook): string {
  const used = new Set<string>();
  const cells = nb.cells.map((c, i) => {
    let id = typeof c.metadata.id === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(c.metadata.id) ? c.metadata.id : `mlnb-cell-${i + 1}`;
    while (used.has(id)) id = `${id}-${i + 1}`.slice(-64);
    used.add(id);
    const base = { id, metadata: c.metadata ?? {}, source: lines(c.source) };
    if (c.kind === "markdown") return { ...base, cell_type: "markdown" };
    return { ...base, cell_type: "code", execution_count: c.executionCount ?? null, outputs: c.outputs.map(outputOut) };
  });
  const doc = { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: KERNELSPEC, language_info: LANGUAGE_INFO, ...(Object.keys(nb.metadata ?? {}).length ? { mlnb: nb.metadata } : {}) }, cells };
  return JSON.stringify(doc, null, 1) + "\n";
}

function text(value: unknown, at: string, file: string): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((l) => typeof l === "string")) return value.join("");
  throw new IpynbError(`${file}: ${at}: expected a string or a list of strings`);
}

function outputIn(o: unknown, at: string, file: string): NotebookOutput {
  if (!o || typeof o !== "object") throw new IpynbError(`${file}: ${at}: expected an object`);
  const r = o as Json;
  const bundle = (d: unknown) => {
    const data: Record<string, unknown> = {};
    for (const [mime, v] of Object.entries((d as Json) ?? {})) data[mime] = isJsonMime(mime) || !isTextMime(mime) && typeof v !== "string" && !Array.isArray(v) ? v : text(v, `${at}.data.${mime}`, file);
    return data;
  };
  switch (r.output_type) {
    case "stream":
      return { output_type: "stream", name: r.name === "stderr" ? "stderr" : "stdout", text: text(r.text, `${at}.text`, file) };
    case "display_data":
      return { output_type: "display_data", data: bundle(r.data), metadata: (r.metadata as Json) ?? {} };
    case "execute_result":
      return { output_type: "execute_result", data: bundle(r.data), metadata: (r.metadata as Json) ?? {}, execution_count: typeof r.execution_count === "number" ? r.execution_count : null };
    case "error":
      return { output_type: "error", ename: String(r.ename ?? "Error"), evalue: String(r.evalue ?? ""), traceback: Array.isArray(r.traceback) ? r.traceback.map(String) : [] };
    default:
      throw new IpynbError(`${file}: ${at}.output_type: unknown output type ${JSON.stringify(r.output_type)}`);
  }
}

/**
 * Read an .ipynb (nbformat 4) into an .mlnb notebook: code cells become TypeScript cells with
 * their outputs, markdown and raw cells become markdown cells. `file` names the file in errors.
 */
export function fromIpynb(content: string, file = "notebook.ipynb"): Notebook {
  let raw: unknown;
  try {
    raw = JSON.parse(content);
  } catch (e) {
    const { line, column } = jsonErrorPosition(content, (e as Error).message);
    throw new IpynbError(`${file}:${line}:${column}: not valid JSON: ${(e as Error).message}`);
  }
  const doc = raw as Json;
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw new IpynbError(`${file}: expected a JSON object`);
  if (doc.nbformat !== 4) throw new IpynbError(`${file}: nbformat ${JSON.stringify(doc.nbformat)} is not supported (this importer reads nbformat 4; convert with jupyter nbconvert --to notebook)`);
  if (!Array.isArray(doc.cells)) throw new IpynbError(`${file}: cells: expected a list`);
  const cells = (doc.cells as unknown[]).map((c, i): NotebookCell => {
    const at = `cells[${i}]`;
    const cell = c as Json;
    if (!cell || typeof cell !== "object") throw new IpynbError(`${file}: ${at}: expected an object`);
    const metadata = { ...((cell.metadata as Json) ?? {}) };
    const source = text(cell.source, `${at}.source`, file);
    if (cell.cell_type === "code") {
      const outputs = Array.isArray(cell.outputs) ? cell.outputs.map((o, j) => outputIn(o, `${at}.outputs[${j}]`, file)) : [];
      return { kind: "code", language: "typescript", source, outputs, executionCount: typeof cell.execution_count === "number" ? cell.execution_count : null, metadata };
    }
    if (cell.cell_type === "markdown" || cell.cell_type === "raw") return { kind: "markdown", language: "markdown", source, outputs: [], executionCount: null, metadata };
    throw new IpynbError(`${file}: ${at}.cell_type: unknown cell type ${JSON.stringify(cell.cell_type)}`);
  });
  const meta = (doc.metadata as Json) ?? {};
  return { cells, metadata: (meta.mlnb as Json) ?? {} };
}
