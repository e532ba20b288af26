// `%graph` and the VS Code graph view: the stage DAG drawn as SVG from its layout, nodes coloured by state.
import type { StageGraph } from "../graph.js";
import type { StageState } from "../state.js";
import { escapeHtml as escapeXml } from "../../text/html.js";
import { graphStructure, layoutGraph, shortDuration, type GraphLayout, type StageRunView } from "./graphLayout.js";

/** Fill colours by state; "not run" for stages with no state. */
export const STATE_COLORS: Record<StageState | "not run", string> = {
  fresh: "#2e9e4f",
  cached: "#2f74c0",
  stale: "#d99a00",
  failed: "#c8342b",
  running: "#7d4cc2",
  unloaded: "#6f9fd8",
  "not run": "#8a8f98",
};

/**
 * The graph as SVG: a column per depth, an arrow per dependency labelled with the names it
 * carries. Stages that cannot run (cycle, duplicate definition) get a dashed red outline.
 */
export function renderGraphSvg(graph: StageGraph, states: ReadonlyMap<string, StageState> = new Map(), info: ReadonlyMap<string, StageRunView> = new Map()): string {
  const runs: Record<string, StageRunView> = {};
  for (const name of graph.stages.keys()) {
    const state = states.get(name);
    if (state || info.has(name)) runs[name] = { ...info.get(name), ...(state ? { state } : {}) };
  }
  return renderLayoutSvg(layoutGraph(graphStructure(graph), runs));
}

/**
 * Draw a layout. Each node is a `<g class="mlnb-stage" data-stage data-state data-cell>` with a
 * `<title>` (its state or problem), so a webview can wire clicks and menus to it; edges in a
 * cycle are dashed red, stages with a warning (reading a plain cell's variable) dashed amber.
 */
export function renderLayoutSvg(layout: GraphLayout): string {
  const edges = layout.edges.map((e) => {
    const label = e.names.join(", ");
    const title = `${e.from} -> ${e.to}${label ? `: ${label}` : " (--needs)"}${e.problem ? ` (${e.problem})` : ""}`;
    const stroke = e.problem ? `stroke="#c8342b" stroke-width="2" stroke-dasharray="5 3"` : `stroke="#666" stroke-width="1.5"`;
    return `<path class="mlnb-edge${e.problem ? " mlnb-problem" : ""}" d="${e.path}" fill="none" ${stroke} marker-end="url(#arrow)"><title>${escapeXml(title)}</title></path>`;
  });
  const nodes = layout.nodes.map((n) => {
    const { x, y, width: w, height: h } = n;
    const color = STATE_COLORS[n.state as StageState | "not run"] ?? STATE_COLORS["not run"];
    const p = n.problem;
    const stroke = p ? ` stroke="${p.severity === "error" ? "#c8342b" : "#f0b400"}" stroke-width="3" stroke-dasharray="6 3"` : "";
    const title = `${n.name}: ${p?.severity === "error" ? `error: ${p.message}` : n.state}${p?.severity === "warning" ? `; warning: ${p.message}` : ""}`;
    const status = p?.severity === "error" ? "error" : [n.state, n.cached && n.state !== "cached" ? "cached" : "", n.durationMs !== undefined && n.state !== "stale" && n.state !== "running" ? shortDuration(n.durationMs) : ""].filter(Boolean).join(" · ");
    const line3 = p?.severity === "warning" ? `⚠ ${p.message}` : n.metrics.join("  ");
    return [
      `<g class="mlnb-stage" data-stage="${escapeXml(n.name)}" data-state="${escapeXml(n.state)}" data-cell="${escapeXml(n.cellId)}">`,
      `<title>${escapeXml(title)}</title>`,
      `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="8" fill="${color}"${stroke}/>`,
      `<text x="${x + w / 2}" y="${y + 20}" text-anchor="middle" font-size="13" font-weight="bold" fill="#fff">${escapeXml(truncate(n.name, 22))}</text>`,
      `<text x="${x + w / 2}" y="${y + 38}" text-anchor="middle" font-size="11" fill="#fff">${escapeXml(status)}</text>`,
      line3 ? `<text x="${x + w / 2}" y="${y + 55}" text-anchor="middle" font-size="10" fill="#fff">${escapeXml(truncate(line3, 30))}</text>` : "",
      `</g>`,
    ].join("");
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" font-family="sans-serif">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#666"/></marker></defs>`,
    ...edges,
    ...nodes,
    `</svg>`,
  ].join("\n");
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}
