// Rich display: turns values (tables, vega-lite specs, HTML, images) into mime bundles.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { inspect } from "node:util";
import { openJsonFileCache, type JsonFileCache } from "../json/fileCache.js";
import { context, type Mime } from "./context.js";
import { isRecordList, TABLE_MIME } from "../views/tableModel.js";
import { liveTablePayload } from "../views/tableRegistry.js";

export { VEGALITE_MIME } from "../protocol.js";
import { VEGALITE_MIME } from "../protocol.js";
import { formatCount } from "../text/count.js";

/** Rows of a table shown in a cell's HTML output. */
const TABLE_PREVIEW_ROWS = 10;

interface TableLike {
  numRows(): number;
  numCols(): number;
  columnNames(): string[];
  toHTML(options?: { limit?: number }): string;
  toMarkdown(options?: { limit?: number }): string;
}

/** True for an arquero table (duck-typed, so any arquero copy is recognised). */
export function isTable(value: unknown): value is TableLike {
  const v = value as Partial<TableLike> | null;
  return !!v && typeof v === "object" && typeof v.numRows === "function" && typeof v.columnNames === "function" && typeof v.toHTML === "function";
}

/** True for an object that looks like a vega-lite spec. */
export function isVegaLiteSpec(value: unknown): value is Record<string, unknown> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.$schema === "string") return v.$schema.includes("vega-lite");
  return "mark" in v && ("encoding" in v || "data" in v) || ("layer" in v || "hconcat" in v || "vconcat" in v || "facet" in v) && "data" in v;
}

/**
 * The mime bundle for a table: mlnb's pageable table (VS Code's renderer), an HTML preview with
 * its size and a markdown text form (other viewers, saved notebooks, the CLI).
 */
export function tableBundle(t: TableLike): Mime {
  const rows = t.numRows();
  const cols = t.numCols();
  const caption = `${formatCount(rows)} rows × ${cols} columns${rows > TABLE_PREVIEW_ROWS ? ` (first ${TABLE_PREVIEW_ROWS} shown)` : ""}`;
  const html = `<div class="mlnb-table">${t.toHTML({ limit: TABLE_PREVIEW_ROWS })}<p><small>${caption}</small></p></div>`;
  const live = liveTablePayload(t);
  return { ...(live ? { [TABLE_MIME]: live } : {}), "text/html": html, "text/plain": `${t.toMarkdown({ limit: TABLE_PREVIEW_ROWS })}\n${caption}` };
}

/** A list of plain records (`metrics.perClass`) as a pageable table, with an HTML and a text form. */
export function recordsBundle(records: Record<string, unknown>[]): Mime {
  const live = liveTablePayload(records)!;
  const shown = live.rows.slice(0, TABLE_PREVIEW_ROWS);
  const head = live.columns.map((c) => `<th>${escapeHtml(c.name)}</th>`).join("");
  const body = shown.map((r) => `<tr>${r.map((v) => `<td>${escapeHtml(v === null ? "" : String(v))}</td>`).join("")}</tr>`).join("");
  const caption = `${formatCount(live.numRows)} records × ${live.columns.length} fields${live.numRows > shown.length ? ` (first ${shown.length} shown)` : ""}`;
  const text = [live.columns.map((c) => c.name).join(" | "), ...shown.map((r) => r.map((v) => (v === null ? "" : String(v))).join(" | ")), caption].join("\n");
  return { [TABLE_MIME]: live, "text/html": `<div class="mlnb-table"><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table><p><small>${caption}</small></p></div>`, "text/plain": text };
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** SVGs of recently rendered specs: re-running a chart cell shows the same chart without vega. */
const svgCache = new Map<string, string>();
const SVG_CACHE_SIZE = 32;
/** Rendered SVGs kept across processes (set by the kernel: `keepChartsIn`), keyed by the spec and vega's versions. */
let svgFiles: JsonFileCache<{ svg: string }> | undefined;
let vegaVersions: string | undefined;

/**
 * Keep rendered charts in `dir` too, so a fresh kernel re-running a chart cell (a headless run over a
 * warm store) shows the same SVG without loading vega (about 200 modules). Undefined: memory only.
 */
export function keepChartsIn(dir: string | undefined): void {
  svgFiles = dir === undefined ? undefined : openJsonFileCache(dir, (v): v is { svg: string } => typeof (v as { svg?: unknown } | null)?.svg === "string");
}

function diskKey(specJson: string): string {
  if (vegaVersions === undefined) {
    const require = createRequire(import.meta.url);
    const version = (pkg: string) => {
      try {
        return (JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), "utf8")) as { version: string }).version;
      } catch {
        return "unknown";
      }
    };
    vegaVersions = `vega ${version("vega")}\0vega-lite ${version("vega-lite")}`;
  }
  return createHash("sha256").update(`mlnb-svg-v1\0${vegaVersions}\0${specJson}`).digest("hex");
}

/** Render a vega-lite spec to SVG with vega in this process (the fallback for plain frontends). */
export async function vegaLiteToSvg(spec: Record<string, unknown>): Promise<string> {
  let key: string | undefined;
  try {
    key = JSON.stringify(spec);
  } catch {
    key = undefined; // not JSON (a cycle, a BigInt): render without the cache
  }
  const cached = key === undefined ? undefined : svgCache.get(key);
  if (cached !== undefined) return cached;
  const onDisk = key === undefined || !svgFiles ? undefined : diskKey(key);
  const stored = onDisk ? svgFiles!.get(onDisk)?.svg : undefined;
  const svg = stored ?? (await renderSvg(spec));
  if (key !== undefined) {
    if (svgCache.size >= SVG_CACHE_SIZE) svgCache.delete(svgCache.keys().next().value!);
    svgCache.set(key, svg);
    if (onDisk && stored === undefined) svgFiles!.set(onDisk, { svg });
  }
  return svg;
}

async function renderSvg(spec: Record<string, unknown>): Promise<string> {
  const [vl, vega] = await Promise.all([import("vega-lite"), import("vega")]);
  // vega tags data rows with symbols: compile a copy so the caller's spec stays plain (and storable).
  const compiled = vl.compile(structuredClone(spec) as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The mime bundle of a vega-lite spec: the spec itself and an SVG rendering of it. */
export async function vegaLiteBundle(spec: Record<string, unknown>): Promise<Mime> {
  const bundle: Mime = { [VEGALITE_MIME]: spec, "text/plain": `<vega-lite chart${spec.title ? `: ${JSON.stringify(spec.title)}` : ""}>` };
  try {
    bundle["image/svg+xml"] = await vegaLiteToSvg(spec);
  } catch (e) {
    bundle["text/plain"] += `\n(SVG fallback failed: ${(e as Error).message})`;
  }
  return bundle;
}

/** A value's richest mime bundle (tables, charts, mime-bundle objects, else text). */
export async function richBundle(value: unknown): Promise<Mime> {
  if (isTable(value)) return tableBundle(value);
  if (isVegaLiteSpec(value)) return vegaLiteBundle(value);
  if (isRecordList(value) && value.length <= MAX_RECORDS_AS_TABLE) return recordsBundle(value);
  const custom = (value as { [MIME_BUNDLE]?: () => Mime } | null)?.[MIME_BUNDLE];
  if (typeof custom === "function") return custom.call(value);
  return { "text/plain": inspect(value, { depth: 4, colors: false, maxArrayLength: 50, breakLength: 100 }) };
}

/** Longer record lists print as text: converting them is the user's call (`aq.from(records)`). */
const MAX_RECORDS_AS_TABLE = 100_000;

/** Objects may define this method to choose their own rich output (like IPython's _repr_mimebundle_). */
export const MIME_BUNDLE = Symbol.for("mlnb.mimeBundle");

function show(data: Mime, id?: string): void {
  context().display(data, id);
}

/**
 * `display(value)` shows any value richly; the helpers show raw content of one type.
 * Available as a global in cells, as `import { display } from "mlnb"`, and as tslab's `display`.
 */
export const display = Object.assign(
  async (value: unknown, options?: { id?: string }): Promise<void> => show(await richBundle(value), options?.id),
  {
    html: (html: string, options?: { id?: string }) => show({ "text/html": html }, options?.id),
    markdown: (md: string) => show({ "text/markdown": md }),
    text: (text: string) => show({ "text/plain": text }),
    svg: (svg: string) => show({ "image/svg+xml": svg }),
    png: (png: Uint8Array | string) => show({ "image/png": typeof png === "string" ? png : Buffer.from(png).toString("base64") }),
    jpeg: (jpeg: Uint8Array | string) => show({ "image/jpeg": typeof jpeg === "string" ? jpeg : Buffer.from(jpeg).toString("base64") }),
    json: (value: unknown) => show({ "application/json": value, "text/plain": JSON.stringify(value, null, 2) }),
    table: (t: unknown) => {
      if (!isTable(t)) throw new TypeError("display.table: expected an arquero table");
      show(tableBundle(t));
    },
    vegaLite: async (spec: Record<string, unknown>) => show(await vegaLiteBundle(spec)),
    /** Show a raw mime bundle. */
    mime: (bundle: Mime, options?: { id?: string }) => show(bundle, options?.id),
  },
);
