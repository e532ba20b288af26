// `%stages`: the stage table (stage, status, cached, duration, outputs with kind and shape, metrics) as text and HTML.
import type { StageGraph } from "../graph.js";
import type { StageState } from "../state.js";
import { escapeHtml as escapeXml } from "../../text/html.js";
import { formatDuration } from "../../text/duration.js";

export { formatDuration };

/** What the kernel knows about a stage's last execution. */
export interface StageInfo {
  state?: StageState;
  /** Restored from the cache in its last execution. */
  cached?: boolean;
  durationMs?: number;
  outputs?: { name: string; kind: string; shape: string; reason?: string }[];
  metrics?: Record<string, number>;
  error?: string;
}

type Mime = Record<string, string>;

/** The stage table, one row per stage in run order (stages that cannot run listed last with why). */
export function renderStagesTable(graph: StageGraph, info: ReadonlyMap<string, StageInfo>): Mime {
  const names = [...graph.order, ...[...graph.stages.keys()].filter((s) => !graph.order.includes(s))];
  const rows = names.map((name) => {
    const i = info.get(name) ?? {};
    const broken = graph.broken.get(name);
    return {
      stage: name,
      status: broken ? `error: ${broken}` : i.state ?? "not run",
      cached: i.cached ? "yes" : i.state ? "no" : "",
      duration: i.durationMs === undefined ? "" : formatDuration(i.durationMs),
      outputs: (i.outputs ?? []).map((o) => (o.kind === "opaque" ? `${o.name}: opaque (${o.reason ?? o.shape})` : `${o.name}: ${o.kind} ${o.shape}`)).join("; "),
      metrics: Object.entries(i.metrics ?? {}).map(([k, v]) => `${k}=${Number.isInteger(v) ? v : Number(v.toPrecision(4))}`).join(" "),
    };
  });
  const columns = ["stage", "status", "cached", "duration", "outputs", "metrics"] as const;
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((c, k) => c.padEnd(widths[k]!)).join("  ").trimEnd();
  const text = rows.length === 0 ? "no stages (mark a cell with %%stage NAME)" : [line([...columns]), line(widths.map((w) => "-".repeat(w))), ...rows.map((r) => line(columns.map((c) => r[c])))].join("\n");
  const html = rows.length === 0
    ? `<p>${escapeXml(text)}</p>`
    : `<table class="mlnb-stages"><thead><tr>${columns.map((c) => `<th>${c}</th>`).join("")}</tr></thead><tbody>${rows
        .map((r) => `<tr>${columns.map((c) => `<td${c === "status" ? ` class="mlnb-${escapeXml(r.status.split(":")[0]!.replace(/\s/g, "-"))}"` : ""}>${escapeXml(r[c])}</td>`).join("")}</tr>`)
        .join("")}</tbody></table>`;
  return { "text/plain": text, "text/html": html };
}

