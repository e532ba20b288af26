// "Compare Runs": params, code hashes, output hashes and metrics side by side (changes highlighted), and a metric chart across all runs.
import * as vscode from "vscode";
import type { CompareRow } from "../../kernel/views/runsModel.js";
import type { KernelCommand } from "./graphPanel.js";
import { createPanel, escapeHtml } from "./webview.js";

/** What the kernel's `compareRuns` command answers. */
export interface Comparison {
  runIds: number[];
  rows: CompareRow[];
  chart: { spec: Record<string, unknown>; svg?: string };
}

const SECTIONS: Record<string, string> = { run: "run", params: "params", code: "stage code (sha256)", outputs: "outputs (sha256)", metrics: "metrics" };

/** Open a comparison of runs in a panel. */
export async function openComparison(extensionUri: vscode.Uri, command: KernelCommand, notebook: vscode.NotebookDocument, runIds: number[]): Promise<{ panel: vscode.WebviewPanel; comparison: Comparison }> {
  const comparison = (await command(notebook, "compareRuns", { runIds })) as Comparison;
  const panel = createPanel(extensionUri, "mlnb.compareRuns", `Compare Runs ${runIds.join(", ")}`);
  panel.webview.onDidReceiveMessage((m: { type: string }) => {
    if (m.type === "ready") void panel.webview.postMessage({ type: "html", html: comparisonHtml(comparison) });
  });
  return { panel, comparison };
}

/** The comparison as an HTML table plus the chart (drawn by the kernel as SVG from the vega-lite spec). */
export function comparisonHtml(c: Comparison): string {
  const changed = c.rows.filter((r) => r.changed).length;
  let section = "";
  const body: string[] = [];
  for (const r of c.rows) {
    if (r.section !== section) {
      section = r.section;
      body.push(`<tr class="section"><th colspan="${c.runIds.length + 1}">${SECTIONS[section] ?? section}</th></tr>`);
    }
    body.push(`<tr class="${r.changed ? "changed" : ""}" data-section="${r.section}" data-key="${escapeHtml(r.key)}"><td class="key">${escapeHtml(r.key)}</td>${r.values.map((v) => `<td class="value">${escapeHtml(v || "—")}</td>`).join("")}</tr>`);
  }
  const chart = c.chart.svg ? `<h3>Metrics across all runs of the notebook</h3><div class="chart">${c.chart.svg}</div>` : `<p class="muted">No chart: the kernel could not draw it.</p>`;
  return `<h2>Compare runs ${c.runIds.join(" and ")}</h2><p class="muted">${changed} of ${c.rows.length} rows differ (highlighted).</p><table class="compare"><tr><th></th>${c.runIds.map((id) => `<th>run ${id}</th>`).join("")}</tr>${body.join("")}</table>${chart}`;
}
