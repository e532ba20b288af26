// `%who`: the kernel's variables with the stage that defines them and their type, as text and HTML.
import { escapeHtml as escapeXml } from "../../text/html.js";

export interface WhoEntry {
  name: string;
  /** Defining stage; undefined for names of non-stage cells. */
  stage?: string;
  /** A short type ("table 344×7", "number", "function"). */
  type: string;
}

/** The variable table, sorted by stage (non-stage names last) then name. */
export function renderWho(entries: readonly WhoEntry[]): Record<string, string> {
  const rows = [...entries].sort((a, b) => (a.stage ?? "\uffff").localeCompare(b.stage ?? "\uffff") || a.name.localeCompare(b.name));
  if (rows.length === 0) return { "text/plain": "no variables", "text/html": "<p>no variables</p>" };
  const cells = rows.map((r) => [r.name, r.stage ?? "(not a stage)", r.type]);
  const header = ["name", "stage", "type"];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i]!)).join("  ").trimEnd();
  return {
    "text/plain": [line(header), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n"),
    "text/html": `<table class="mlnb-who"><thead><tr>${header.map((h) => `<th>${h}</th>`).join("")}</tr></thead><tbody>${cells.map((c) => `<tr>${c.map((x) => `<td>${escapeXml(x)}</td>`).join("")}</tr>`).join("")}</tbody></table>`,
  };
}
