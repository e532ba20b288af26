// Jupyter interop: .mlnb <-> nbformat 4.5 .ipynb (magics stay cell text; outputs, ids, raw cells, attachments and metadata are kept).
import { isTextMime, jsonErrorPosition, type Notebook, type NotebookCell, type NotebookOutput } from "../notebook/format.js";

/** A file that is not a notebook this importer understands; the message names the file and field. */
export class IpynbError extends Error {
  override name = "IpynbError";
}

type Json = Record<string, unknown>;

const KERNELSPEC = { name: "mlnb", display_name: "TypeScript (mlnb)", language: "typescript" };
const LANGUAGE_INFO = { name: "typescript", file_extension: ".ts", mimetype: "text/typescript" };

/** nbformat's multiline string: lines each keeping their "\n" (the last without). */
function lines(text: string): string[] {
  if (text === "") return [];
  const parts = text.split("\n");
  return parts.map((l, i) => (i < parts.length - 1 ? `${l}\n` : l)).filter((l) => l !== "");
}

const isJsonMime = (mime: string) => mime === "application/json" || /^application\/.+\+json$/.test(mime);

/** nbformat writes text mimes as lists of lines, and base64 images and other data as one string. */
const splitMime = (mime: string) => mime.startsWith("text/") || mime === "application/javascript" || mime === "image/svg+xml";

function mimeBundleOut(data: Record<string, unknown>): Json {
  const out: Json = {};
  for (const [mime, v] of Object.entries(data)) {
    if (isJsonMime(mime)) out[mime] = v;
    else if (!splitMime(mime) && typeof v === "string") out[mime] = v;
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

/** Cell metadata key under which an imported cell keeps what .mlnb has no field for: id, raw cell type, attachments. */
export const IPYNB_KEY = "ipynb";
/** Notebook metadata key under which an imported notebook keeps its other top-level metadata. */
const TOP_KEY = "ipynb";
const SCRIPT_LANGUAGES = new Set(["typescript", "javascript", "ts", "js"]);
const PARAMS_MAGIC = /^\s*%%params\b/;

interface CellExtras {
  id?: string;
  cell_type?: "raw";
  attachments?: Json;
}

const validId = (id: unknown): id is string => typeof id === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(id);

/**
 * The notebook as nbformat 4.5 JSON text: code cells keep their source (magics included) and
 * outputs, markdown cells their text; imported cells keep their id, raw cell type and
 * attachments, the notebook its top-level metadata; the .mlnb metadata is kept under
 * `metadata.mlnb`, so importing it back gives the same notebook. A `%%params` cell is tagged
 * `parameters` (papermill's convention).
 */
export function toIpynb(nb: Notebook): string {
  const used = new Set<string>();
  const cells = nb.cells.map((c, i) => {
    const { [IPYNB_KEY]: extrasRaw, id: legacyId, ...metadata } = c.metadata ?? {};
    const extras = (extrasRaw ?? {}) as CellExtras;
    let id = validId(extras.id) ? extras.id : validId(legacyId) ? legacyId : `mlnb-cell-${i + 1}`;
    while (used.has(id)) id = `${id}-${i + 1}`.slice(-64);
    used.add(id);
    const base = { id, metadata, source: lines(c.source) };
    if (c.kind === "markdown") return { ...base, cell_type: extras.cell_type === "raw" ? "raw" : "markdown", ...(extras.attachments ? { attachments: extras.attachments } : {}) };
    if (PARAMS_MAGIC.test(c.source)) {
      const tags = Array.isArray(metadata.tags) ? (metadata.tags as unknown[]) : [];
      if (!tags.includes("parameters")) base.metadata = { ...metadata, tags: [...tags, "parameters"] };
    }
    return { ...base, cell_type: "code", execution_count: c.executionCount ?? null, outputs: c.outputs.map(outputOut) };
  });
  const { [TOP_KEY]: kept, ...own } = nb.metadata ?? {};
  const original = (kept ?? {}) as Json;
  const codeLanguages = new Set(nb.cells.filter((c) => c.kind === "code").map((c) => c.language.toLowerCase()));
  // A notebook in another language (imported with --force) keeps its own kernel; ours run in mlnb.
  const ours = [...codeLanguages].every((l) => SCRIPT_LANGUAGES.has(l)) || !original.kernelspec;
  const metadata = { ...original, ...(ours ? { kernelspec: KERNELSPEC, language_info: LANGUAGE_INFO } : {}), ...(Object.keys(own).length ? { mlnb: own } : {}) };
  const doc = { nbformat: 4, nbformat_minor: 5, metadata, cells };
  return JSON.stringify(doc, null, 1) + "\n";
}

/** The language a notebook's metadata declares (kernelspec.language, else language_info.name). */
export function notebookLanguage(metadata: Json): string | undefined {
  const ks = metadata.kernelspec as Json | undefined;
  const li = metadata.language_info as Json | undefined;
  const lang = typeof ks?.language === "string" ? ks.language : typeof li?.name === "string" ? li.name : undefined;
  return lang?.toLowerCase();
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

export interface ImportOptions {
  /** Import a notebook whose language is not TypeScript or JavaScript (its code cells keep their language). */
  force?: boolean;
}

/**
 * Read an .ipynb (nbformat 4) into an .mlnb notebook: code cells become code cells with their
 * outputs, markdown and raw cells markdown cells (a raw cell remembers it was raw); cell ids,
 * attachments and the top-level metadata are kept for export. A notebook in another language
 * is refused unless `force`. A code cell tagged `parameters` (papermill) becomes a `%%params`
 * cell. `file` names the file in errors.
 */
export function fromIpynb(content: string, file = "notebook.ipynb", options: ImportOptions = {}): Notebook {
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
  const meta = doc.metadata && typeof doc.metadata === "object" && !Array.isArray(doc.metadata) ? (doc.metadata as Json) : {};
  const language = notebookLanguage(meta);
  const foreign = language !== undefined && !SCRIPT_LANGUAGES.has(language);
  if (foreign && !options.force) {
    throw new IpynbError(`${file}: metadata.kernelspec: the notebook is written in ${language}; mlnb runs TypeScript and JavaScript (--force imports it anyway, its cells kept as ${language})`);
  }
  const codeLanguage = foreign ? language! : "typescript";
  const cells = (doc.cells as unknown[]).map((c, i): NotebookCell => {
    const at = `cells[${i}]`;
    const cell = c as Json;
    if (!cell || typeof cell !== "object") throw new IpynbError(`${file}: ${at}: expected an object`);
    const metadata: Json = { ...((cell.metadata as Json) ?? {}) };
    let source = text(cell.source, `${at}.source`, file);
    const extras: CellExtras = {};
    if (validId(cell.id) && cell.id !== `mlnb-cell-${i + 1}`) extras.id = cell.id;
    if (cell.cell_type === "raw") extras.cell_type = "raw";
    if (cell.attachments && typeof cell.attachments === "object") extras.attachments = cell.attachments as Json;
    if (Object.keys(extras).length) metadata[IPYNB_KEY] = extras;
    if (cell.cell_type === "code") {
      const tags = Array.isArray(metadata.tags) ? metadata.tags : [];
      if (!foreign && tags.includes("parameters") && !PARAMS_MAGIC.test(source)) source = `%%params\n${source}`;
      const outputs = Array.isArray(cell.outputs) ? cell.outputs.map((o, j) => outputIn(o, `${at}.outputs[${j}]`, file)) : [];
      return { kind: "code", language: codeLanguage, source, outputs, executionCount: typeof cell.execution_count === "number" ? cell.execution_count : null, metadata };
    }
    if (cell.cell_type === "markdown" || cell.cell_type === "raw") return { kind: "markdown", language: "markdown", source, outputs: [], executionCount: null, metadata };
    throw new IpynbError(`${file}: ${at}.cell_type: unknown cell type ${JSON.stringify(cell.cell_type)}`);
  });
  const { mlnb, ...others } = meta;
  // Our own kernelspec and language_info are written again on export; anything else is kept.
  if (JSON.stringify(others.kernelspec) === JSON.stringify(KERNELSPEC)) delete others.kernelspec;
  if (JSON.stringify(others.language_info) === JSON.stringify(LANGUAGE_INFO)) delete others.language_info;
  const own = mlnb && typeof mlnb === "object" ? (mlnb as Json) : {};
  return { cells, metadata: Object.keys(others).length ? { ...own, [TOP_KEY]: others } : own };
}
