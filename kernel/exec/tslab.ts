// A stand-in for the `tslab` package, so notebooks written for tslab run unchanged (`tslab.display.html(...)`).
import { display as mlnbDisplay } from "../ml/display.js";

const asBase64 = (data: Uint8Array | string) => (typeof data === "string" ? data : Buffer.from(data).toString("base64"));
const raw = (mime: string, data: unknown) => mlnbDisplay.mime({ [mime]: data });

/** tslab's display API, backed by mlnb's display. */
export const display = {
  html: (s: string) => mlnbDisplay.html(s),
  markdown: (s: string) => mlnbDisplay.markdown(s),
  text: (s: string) => mlnbDisplay.text(s),
  latex: (s: string) => raw("text/latex", s),
  javascript: (s: string) => raw("application/javascript", s),
  svg: (s: string) => mlnbDisplay.svg(s),
  png: (b: Uint8Array) => raw("image/png", asBase64(b)),
  jpeg: (b: Uint8Array) => raw("image/jpeg", asBase64(b)),
  gif: (b: Uint8Array) => raw("image/gif", asBase64(b)),
  pdf: (b: Uint8Array) => raw("application/pdf", asBase64(b)),
  raw,
};

/** tslab's version marker, for notebooks that print it. */
export const versions = { tslab: "mlnb", typescript: "5.9", node: process.versions.node };
