// Helpers of the example-notebook generator: markdown and code cells from indented template text, written canonically.
import { writeFileSync } from "node:fs";
import { serializeNotebook } from "../../out/kernel/notebook/format.js";

/** Strip the common indentation and the leading/trailing blank lines of a template literal. */
function dedent(text) {
  const lines = text.replace(/^\s*\n/, "").replace(/\n\s*$/, "").split("\n");
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)[0].length));
  return lines.map((l) => l.slice(indent)).join("\n");
}

/** A markdown cell. */
export function md(text) {
  return { kind: "markdown", language: "markdown", source: dedent(text), outputs: [], executionCount: null, metadata: {} };
}

/** A TypeScript code cell (no outputs: the notebooks are committed unexecuted). */
export function code(text) {
  return { kind: "code", language: "typescript", source: dedent(text), outputs: [], executionCount: null, metadata: {} };
}

/** Write `cells` as the .mlnb file `file` in the canonical format (sorted keys, one array element per line). */
export function writeNotebook(file, cells) {
  writeFileSync(file, serializeNotebook({ cells, metadata: {} }));
}
