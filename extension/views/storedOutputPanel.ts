// Opens a stored output of any run: a table in the paging table viewer, a model as its summary (kind, layers, parameters, metrics).
import * as vscode from "vscode";
import type { TablePayload } from "../../kernel/views/tableModel.js";
import { formatValue } from "../../kernel/views/runsModel.js";
import type { KernelCommand } from "./graphPanel.js";
import { createPanel, escapeHtml } from "./webview.js";

/** What the kernel's `storedOutput` command answers. */
export interface StoredOutput {
  runId: number;
  stage: string;
  name: string;
  kind: string;
  shape: string;
  hash: string;
  table?: TablePayload;
  model?: { kind: string; task?: string; target?: string; features?: string[]; labels?: string[]; layers?: { name: string; type: string; outputShape: string; params: number }[]; params?: number; epochs?: number; finalLoss?: number; metrics?: Record<string, number>; summary?: string };
}

/** Show one stored output in a panel; table pages are asked of the kernel as the user pages. */
export async function openStoredOutput(extensionUri: vscode.Uri, command: KernelCommand, notebook: vscode.NotebookDocument, ref: { runId: number; stageRunId: number; output: string }): Promise<{ panel: vscode.WebviewPanel; output: StoredOutput }> {
  const output = (await command(notebook, "storedOutput", ref)) as StoredOutput;
  const panel = createPanel(extensionUri, "mlnb.storedOutput", `${output.name} · run ${output.runId}`);
  const title = `<h2>${escapeHtml(output.name)} <span class="muted">${escapeHtml(`${output.kind} ${output.shape} · stage ${output.stage} · run ${output.runId} · sha256 ${output.hash.slice(0, 12)}`)}</span></h2>`;
  panel.webview.onDidReceiveMessage(async (m: { type: string; requestId?: number; ref?: string; offset?: number; limit?: number; sort?: unknown }) => {
    if (m.type === "ready") {
      if (output.table) void panel.webview.postMessage({ type: "table", html: title, payload: output.table });
      else void panel.webview.postMessage({ type: "html", html: title + modelHtml(output.model ?? { kind: output.kind }) });
    } else if (m.type === "tablePage") {
      try {
        const page = await command(notebook, "tablePage", { ref: m.ref, offset: m.offset, limit: m.limit, ...(m.sort ? { sort: m.sort } : {}) });
        void panel.webview.postMessage({ type: "tablePage", requestId: m.requestId, page });
      } catch (e) {
        void panel.webview.postMessage({ type: "tablePage", requestId: m.requestId, error: (e as Error).message });
      }
    }
  });
  return { panel, output };
}

function modelHtml(m: NonNullable<StoredOutput["model"]>): string {
  const facts: [string, string | undefined][] = [
    ["kind", m.kind],
    ["task", m.task],
    ["target", m.target],
    ["features", m.features?.join(", ")],
    ["labels", m.labels?.join(", ")],
    ["parameters", m.params?.toLocaleString("en-US")],
    ["epochs", m.epochs !== undefined ? String(m.epochs) : undefined],
    ["final loss", m.finalLoss !== undefined ? formatValue(m.finalLoss) : undefined],
  ];
  const rows = facts.filter(([, v]) => v !== undefined).map(([k, v]) => `<tr><th>${k}</th><td>${escapeHtml(v!)}</td></tr>`).join("");
  const layers = m.layers?.length ? `<h3>Layers</h3><table class="compare"><tr><th>layer</th><th>type</th><th>output shape</th><th>parameters</th></tr>${m.layers.map((l) => `<tr><td>${escapeHtml(l.name)}</td><td>${escapeHtml(l.type)}</td><td>${escapeHtml(l.outputShape)}</td><td>${l.params.toLocaleString("en-US")}</td></tr>`).join("")}</table>` : "";
  const metrics = Object.keys(m.metrics ?? {}).length ? `<h3>Metrics of its stage</h3><table class="compare">${Object.entries(m.metrics!).map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${formatValue(v)}</td></tr>`).join("")}</table>` : "";
  const summary = m.summary ? `<h3>Value</h3><pre>${escapeHtml(m.summary)}</pre>` : "";
  return `<table class="compare">${rows}</table>${layers}${metrics}${summary}`;
}
