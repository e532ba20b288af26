// A stand-in for the `tslab` package, so notebooks written for tslab run unchanged (`tslab.display.html(...)`, `tslab.newDisplay()`).
import { randomBytes } from "node:crypto";
import { display as mlnbDisplay } from "../ml/display.js";

/** tslab's Display interface: one method per mime type, and `raw` for any other. */
export interface Display {
  javascript(s: string): void;
  html(s: string): void;
  markdown(s: string): void;
  latex(s: string): void;
  svg(s: string): void;
  png(b: Uint8Array): void;
  jpeg(b: Uint8Array): void;
  gif(b: Uint8Array): void;
  pdf(b: Uint8Array): void;
  text(s: string): void;
  /** Show `b` as `contentType`; bytes are sent base64-encoded, as Jupyter wants binary data. */
  raw(contentType: string, b: string | Uint8Array): void;
}

/** A display; with an id, every call after the first replaces what it showed (tslab's newDisplay). */
function createDisplay(id?: string): Display {
  const raw = (contentType: string, b: string | Uint8Array) => {
    const data = b instanceof Uint8Array ? Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("base64") : b;
    mlnbDisplay.mime({ [contentType]: data }, id ? { id } : undefined);
  };
  return {
    javascript: (s) => raw("text/javascript", s),
    html: (s) => raw("text/html", s),
    markdown: (s) => raw("text/markdown", s),
    latex: (s) => raw("text/latex", s),
    svg: (s) => raw("image/svg+xml", s),
    png: (b) => raw("image/png", b),
    jpeg: (b) => raw("image/jpeg", b),
    gif: (b) => raw("image/gif", b),
    pdf: (b) => raw("application/pdf", b),
    text: (s) => raw("text/plain", s),
    raw,
  };
}

/** Utility functions to display rich contents, as in tslab. */
export const display: Display = createDisplay();

/** A new Display whose every call overwrites the one output it shows (progress, animations). */
export function newDisplay(): Display {
  return createDisplay(`tslab-${randomBytes(8).toString("hex")}`);
}

/** tslab's version marker, for notebooks that print it. */
export const versions = { tslab: "mlnb", typescript: "5.9", node: process.version };
