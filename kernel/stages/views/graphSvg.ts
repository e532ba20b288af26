// `%graph`: the stage DAG as an SVG picture, left to right, nodes coloured by status.
import type { StageGraph } from "../graph.js";
import type { StageState } from "../state.js";
import { escapeXml } from "./escape.js";

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

const NODE_W = 150;
const NODE_H = 44;
const GAP_X = 60;
const GAP_Y = 22;
const PAD = 16;

/**
 * The graph as SVG: a column per depth (longest path from a root), stages in notebook order
 * within a column, an arrow per dependency labelled with the names it carries. Stages that
 * cannot run (cycle, duplicate definition) get a dashed red outline.
 */
export function renderGraphSvg(graph: StageGraph, states: ReadonlyMap<string, StageState> = new Map()): string {
  const names = [...graph.stages.keys()];
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (n: string): number => {
    if (depth.has(n)) return depth.get(n)!;
    if (visiting.has(n)) return 0; // inside a cycle: any finite depth will do
    visiting.add(n);
    const d = Math.max(-1, ...graph.stages.get(n)!.parents.map(depthOf)) + 1;
    visiting.delete(n);
    depth.set(n, d);
    return d;
  };
  names.forEach(depthOf);
  const columns: string[][] = [];
  for (const n of names) (columns[depth.get(n)!] ??= []).push(n);
  const pos = new Map<string, { x: number; y: number }>();
  columns.forEach((col, c) => col.forEach((n, r) => pos.set(n, { x: PAD + c * (NODE_W + GAP_X), y: PAD + r * (NODE_H + GAP_Y) })));
  const width = PAD * 2 + Math.max(1, columns.length) * (NODE_W + GAP_X) - GAP_X;
  const height = PAD * 2 + Math.max(1, ...columns.map((c) => c.length)) * (NODE_H + GAP_Y) - GAP_Y;

  const edges = [...groupEdges(graph)].map(([key, labels]) => {
    const [from, to] = key.split("\0") as [string, string];
    const a = pos.get(from)!;
    const b = pos.get(to)!;
    const x1 = a.x + NODE_W;
    const y1 = a.y + NODE_H / 2;
    const x2 = b.x;
    const y2 = b.y + NODE_H / 2;
    const mx = (x1 + x2) / 2;
    const label = labels.filter(Boolean).join(", ");
    return `<path d="M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2 - 2},${y2}" fill="none" stroke="#666" stroke-width="1.5" marker-end="url(#arrow)"><title>${escapeXml(`${from} -> ${to}${label ? `: ${label}` : " (--needs)"}`)}</title></path>`;
  });
  const nodes = names.map((n) => {
    const { x, y } = pos.get(n)!;
    const state = states.get(n) ?? "not run";
    const broken = graph.broken.get(n);
    const stroke = broken ? ` stroke="#c8342b" stroke-width="3" stroke-dasharray="6 3"` : "";
    const title = `${n}: ${broken ? `error: ${broken}` : state}`;
    return `<g class="mlnb-stage" data-stage="${escapeXml(n)}" data-state="${state}"><title>${escapeXml(title)}</title><rect x="${x}" y="${y}" width="${NODE_W}" height="${NODE_H}" rx="8" fill="${STATE_COLORS[state]}"${stroke}/><text x="${x + NODE_W / 2}" y="${y + 19}" text-anchor="middle" font-size="13" font-weight="bold" fill="#fff">${escapeXml(truncate(n, 20))}</text><text x="${x + NODE_W / 2}" y="${y + 35}" text-anchor="middle" font-size="11" fill="#fff">${escapeXml(broken ? "error" : state)}</text></g>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#666"/></marker></defs>`,
    ...edges,
    ...nodes,
    `</svg>`,
  ].join("\n");
}

function groupEdges(graph: StageGraph): Map<string, (string | undefined)[]> {
  const grouped = new Map<string, (string | undefined)[]>();
  for (const e of graph.edges) {
    const key = `${e.from}\0${e.to}`;
    grouped.set(key, [...(grouped.get(key) ?? []), e.name]);
  }
  return grouped;
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}
