// Pure mapping between kernel replies / saved nbformat outputs and VS Code cell output items (no `vscode` import).
import type { MimeBundle, Reply } from "../kernel/protocol.js";
import { ERROR_MIME, VEGALITE_MIME } from "../kernel/protocol.js";
import type { NotebookOutput } from "../kernel/notebook/format.js";

export const STDOUT_MIME = "application/vnd.code.notebook.stdout";
export const STDERR_MIME = "application/vnd.code.notebook.stderr";

/** One output item as VS Code stores it: a mime type and its bytes. */
export interface PlainItem {
  mime: string;
  data: Uint8Array;
}

/** Which nbformat output a VS Code output came from, kept in its metadata so a save writes it back alike. */
export interface OutputMetadata {
  outputType: "stream" | "display_data" | "execute_result" | "error";
  /** Jupyter's per-output metadata (image sizes...). */
  metadata?: Record<string, unknown>;
  executionCount?: number | null;
  displayId?: string;
  /** The traceback lines of an error output, verbatim. */
  traceback?: string[];
}

/** One cell output: items in the order VS Code should prefer them, plus where it came from. */
export interface PlainOutput {
  items: PlainItem[];
  metadata: OutputMetadata;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Richest first: VS Code shows the first item it has a renderer for unless the user picks
 * another, so a vega-lite spec wins over its SVG fallback, and text/plain comes last.
 */
const PREFERENCE = [VEGALITE_MIME, "application/vnd.vega.v5+json", "text/html", "image/svg+xml", "image/png", "image/jpeg", "text/markdown", "application/json", "text/plain"];

function rank(mime: string): number {
  const i = PREFERENCE.indexOf(mime);
  // Unknown rich mimes (a kernel's own renderer types) go before the generic ones.
  return i >= 0 ? i : mime.startsWith("application/vnd.") ? 0.5 : PREFERENCE.length;
}

function isBinaryImage(mime: string): boolean {
  return mime === "image/png" || mime === "image/jpeg" || mime === "image/gif";
}

/** Bytes of one mime bundle entry: JSON mimes as JSON text, base64 images decoded, text as UTF-8. */
export function mimeValueToBytes(mime: string, value: unknown): Uint8Array {
  if (isBinaryImage(mime) && typeof value === "string") return new Uint8Array(Buffer.from(value.replace(/\s+/g, ""), "base64"));
  if (typeof value === "string" && !mime.endsWith("json")) return encoder.encode(value);
  return encoder.encode(JSON.stringify(value));
}

/** The inverse of mimeValueToBytes, for saving: JSON mimes parsed, images to base64, text decoded. */
export function bytesToMimeValue(mime: string, data: Uint8Array): unknown {
  if (isBinaryImage(mime)) return Buffer.from(data).toString("base64");
  const text = decoder.decode(data);
  if (mime.endsWith("json")) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** A mime bundle as ordered output items. */
export function bundleToItems(bundle: MimeBundle): PlainItem[] {
  return Object.keys(bundle)
    .filter((mime) => bundle[mime] !== undefined && bundle[mime] !== null)
    .sort((a, b) => rank(a) - rank(b))
    .map((mime) => ({ mime, data: mimeValueToBytes(mime, bundle[mime]) }));
}

/** The error item VS Code renders with name, message and stack (the shape NotebookCellOutputItem.error writes). */
export function errorItem(error: { name: string; message: string; stack?: string }): PlainItem {
  return { mime: ERROR_MIME, data: encoder.encode(JSON.stringify({ name: error.name, message: error.message, stack: error.stack ?? "" })) };
}

/** Map one kernel reply to a new cell output; replies that are not outputs give undefined. */
export function replyToOutput(reply: Reply): PlainOutput | undefined {
  switch (reply.type) {
    case "stream":
      return { items: [{ mime: reply.name === "stderr" ? STDERR_MIME : STDOUT_MIME, data: encoder.encode(reply.text) }], metadata: { outputType: "stream" } };
    case "display":
      return { items: bundleToItems(reply.data), metadata: { outputType: "display_data", ...(reply.displayId ? { displayId: reply.displayId } : {}) } };
    case "result":
      return { items: bundleToItems(reply.data), metadata: { outputType: "execute_result" } };
    case "error": {
      const { name, message, stack, line, column } = reply.error;
      const where = line !== undefined ? ` (cell line ${line}${column !== undefined ? `, column ${column}` : ""})` : "";
      return {
        items: [errorItem({ name, message: message + where, stack })],
        metadata: { outputType: "error", traceback: stack ? stack.split("\n") : [] },
      };
    }
    default:
      return undefined;
  }
}

/** A saved nbformat output as a cell output. */
export function notebookOutputToPlain(o: NotebookOutput): PlainOutput {
  switch (o.output_type) {
    case "stream":
      return { items: [{ mime: o.name === "stderr" ? STDERR_MIME : STDOUT_MIME, data: encoder.encode(o.text) }], metadata: { outputType: "stream" } };
    case "display_data":
      return { items: bundleToItems(o.data), metadata: { outputType: "display_data", metadata: o.metadata } };
    case "execute_result":
      return { items: bundleToItems(o.data), metadata: { outputType: "execute_result", metadata: o.metadata, executionCount: o.execution_count } };
    case "error":
      return {
        items: [errorItem({ name: o.ename, message: o.evalue, stack: o.traceback.join("\n") })],
        metadata: { outputType: "error", traceback: o.traceback },
      };
  }
}

/** A cell output back to nbformat for saving; outputs made elsewhere (other kernels) are inferred from their items. */
export function plainToNotebookOutput(out: PlainOutput, executionCount: number | null): NotebookOutput {
  const meta = (out.metadata ?? {}) as Partial<OutputMetadata>;
  const streamMimes = out.items.filter((i) => i.mime === STDOUT_MIME || i.mime === STDERR_MIME);
  if (streamMimes.length > 0 && streamMimes.length === out.items.length) {
    return { output_type: "stream", name: streamMimes[0].mime === STDERR_MIME ? "stderr" : "stdout", text: streamMimes.map((i) => decoder.decode(i.data)).join("") };
  }
  const err = out.items.find((i) => i.mime === ERROR_MIME);
  if (err) {
    const parsed = bytesToMimeValue("application/json", err.data) as { name?: string; message?: string; stack?: string };
    const traceback = meta.traceback ?? (parsed.stack ? parsed.stack.split("\n") : []);
    return { output_type: "error", ename: parsed.name ?? "Error", evalue: parsed.message ?? "", traceback };
  }
  const data: Record<string, unknown> = {};
  for (const item of out.items) data[item.mime] = bytesToMimeValue(item.mime, item.data);
  const metadata = meta.metadata ?? {};
  if (meta.outputType === "execute_result") {
    return { output_type: "execute_result", data, metadata, execution_count: meta.executionCount ?? executionCount };
  }
  return { output_type: "display_data", data, metadata };
}
