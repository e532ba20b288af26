// Live training progress in the cell (one display updated in place) and the loss chart shown at the end.
import { context } from "../context.js";
import { VEGALITE_MIME as VEGA_LITE } from "../display.js";
import { escapeHtml } from "../../text/html.js";
import type { History } from "./loop.js";

let counter = 0;

/** A progress reporter for one training run: `epoch()` updates the display, at most every `everyMs`. */
export function progress(title: string, epochs: number, everyMs = 150): { epoch(e: number, logs: Record<string, number>): void; done(history: History, note?: string): void } {
  const displayId = `mlnb-train-${++counter}`;
  let last = 0;
  let pending: [number, Record<string, number>] | undefined;
  const show = (e: number, logs: Record<string, number>, final: boolean): void => {
    const cells = Object.entries(logs).map(([k, v]) => [k, fmt(v)] as const);
    const text = `${title}  epoch ${e + 1}/${epochs}  ${cells.map(([k, v]) => `${k} ${v}`).join("  ")}${final ? "" : " ..."}`;
    const html = `<div class="mlnb-train"><b>${escapeHtml(title)}</b> epoch ${e + 1}/${epochs}` +
      `<table><tr>${cells.map(([k]) => `<th>${k}</th>`).join("")}</tr><tr>${cells.map(([, v]) => `<td>${v}</td>`).join("")}</tr></table></div>`;
    context().display({ "text/html": html, "text/plain": text }, displayId);
  };
  return {
    epoch(e, logs) {
      const now = Date.now();
      pending = [e, logs];
      if (now - last >= everyMs) {
        last = now;
        show(e, logs, false);
        pending = undefined;
      }
    },
    done(history, note) {
      const n = history.loss.length;
      if (n > 0) {
        const logs: Record<string, number> = {};
        for (const [k, v] of Object.entries(history)) if (v.length) logs[k] = v[v.length - 1];
        show(pending?.[0] ?? n - 1, logs, true);
      }
      const chart = lossChart(history, title);
      context().display({ [VEGA_LITE]: chart, "text/plain": note ? `${title}: ${note}` : `${title}: trained ${n} epochs` });
    },
  };
}

/** Vega-lite line chart of every history series (loss, val_loss, acc, ...) by epoch. */
export function lossChart(history: History, title = "training"): Record<string, unknown> {
  const values: { epoch: number; metric: string; value: number }[] = [];
  for (const [metric, series] of Object.entries(history)) {
    series.forEach((value, i) => values.push({ epoch: i + 1, metric, value }));
  }
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title,
    width: 360,
    height: 200,
    data: { values },
    mark: { type: "line", point: values.length <= 60 },
    encoding: {
      x: { field: "epoch", type: "quantitative", title: "epoch" },
      y: { field: "value", type: "quantitative", title: null },
      color: { field: "metric", type: "nominal" },
    },
  };
}

function fmt(v: number): string {
  return Math.abs(v) >= 1000 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4);
}

