// Drift report output: a text table for terminals, an HTML table for notebooks, vega-lite charts per column.

import { context } from "../context.js";
import { escapeHtml as esc } from "../../text/html.js";
import { VEGALITE_MIME } from "../display.js";
import type { ColumnDrift, DriftReport } from "./report.js";

function num(x: number | undefined): string {
  if (x === undefined || Number.isNaN(x)) return "-";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x !== 0 && Math.abs(x) < 1e-4) return x.toExponential(3);
  return Number(x.toPrecision(4)).toString();
}

function verdict(r: DriftReport): string {
  const head = r.datasetDrift ? "Dataset drift detected" : "No dataset drift";
  return `${head}: ${r.nDrifted} of ${r.columns.length} columns drifted (share ${num(r.share)}, threshold ${num(r.driftShare)})`;
}

/** The report as a fixed-width text table (what `mlnb drift` prints). */
export function toText(r: DriftReport): string {
  const header = ["column", "kind", "test", "statistic", "p-value", "threshold", "drifted"];
  const rows = r.columns.map((c) => [c.column, c.kind, c.test, num(c.statistic), num(c.pValue), num(c.threshold), c.drifted ? "yes" : "no"]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [
    `reference rows: ${r.referenceRows}, current rows: ${r.currentRows}`,
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
    "",
    verdict(r),
  ].join("\n");
}


/** The report as an HTML table with the verdict on top. */
export function toHTML(r: DriftReport): string {
  const rows = r.columns
    .map(
      (c) =>
        `<tr${c.drifted ? ' class="drifted" style="background:#fde8e8"' : ""}><td>${esc(c.column)}</td><td>${c.kind}</td><td>${c.test}</td>` +
        `<td>${num(c.statistic)}</td><td>${num(c.pValue)}</td><td>${num(c.threshold)}</td><td>${c.drifted ? "yes" : "no"}</td></tr>`,
    )
    .join("\n");
  return [
    `<div class="mlnb-drift">`,
    `<p><strong>${esc(verdict(r))}</strong> (reference ${r.referenceRows} rows, current ${r.currentRows} rows)</p>`,
    `<table><thead><tr><th>column</th><th>kind</th><th>test</th><th>statistic</th><th>p-value</th><th>threshold</th><th>drifted</th></tr></thead>`,
    `<tbody>\n${rows}\n</tbody></table>`,
    `</div>`,
  ].join("\n");
}

/** A vega-lite bar chart of one column's distribution, reference vs current side by side. */
export function chart(c: ColumnDrift): Record<string, unknown> {
  const values = c.distribution.bins.flatMap((bin, i) => [
    { bin, order: i, dataset: "reference", share: c.distribution.reference[i] },
    { bin, order: i, dataset: "current", share: c.distribution.current[i] },
  ]);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `${c.column}: ${c.test} ${num(c.score)}${c.drifted ? " (drifted)" : ""}`,
    data: { values },
    mark: "bar",
    encoding: {
      x: { field: "bin", type: "nominal", sort: { field: "order" }, title: c.column },
      xOffset: { field: "dataset" },
      y: { field: "share", type: "quantitative", title: "share of rows" },
      color: { field: "dataset", type: "nominal", scale: { domain: ["reference", "current"] } },
    },
    width: { step: 14 },
    height: 160,
  };
}

/** One chart spec per column. */
export function charts(r: DriftReport): Record<string, unknown>[] {
  return r.columns.map(chart);
}

/** Show the report in the running stage: the HTML table, then a chart per column. */
export function show(r: DriftReport): void {
  const ctx = context();
  ctx.display({ "text/html": toHTML(r), "text/plain": toText(r) });
  for (const spec of charts(r)) ctx.display({ [VEGALITE_MIME]: spec, "text/plain": String(spec.title) });
}
