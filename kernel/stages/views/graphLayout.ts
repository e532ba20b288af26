// The stage graph as layout data (layers, positions, edges, marks): what `%graph` and the VS Code graph view draw.
import type { StageGraph } from "../graph.js";
import { formatDuration } from "../../text/duration.js";

/** The stage graph as plain JSON (it crosses the kernel protocol): stages, edges, problems. */
export interface GraphStructure {
  stages: { name: string; cellId: string; parents: string[]; defs: string[]; broken?: string }[];
  edges: { from: string; to: string; name?: string }[];
  diagnostics: { severity: "error" | "warning"; code: string; message: string; stages: string[] }[];
  /** Each cycle as a path that starts and ends at the same stage. */
  cycles: string[][];
}

/** What the kernel knows of a stage's last execution (the `info` of a stage snapshot entry). */
export interface StageRunView {
  state?: string;
  durationMs?: number;
  cached?: boolean;
  metrics?: Record<string, number>;
  error?: string;
}

export interface LayoutNode {
  name: string;
  cellId: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** fresh, cached, stale, failed, running, or "not run". */
  state: string;
  durationMs?: number;
  cached: boolean;
  /** Up to three metrics, `name=value`, as the node shows them. */
  metrics: string[];
  /** Why the stage cannot run or what is suspicious about it (cycle, double definition, untracked read). */
  problem?: { severity: "error" | "warning"; message: string };
}

export interface LayoutEdge {
  from: string;
  to: string;
  /** Names the edge carries (empty for a `--needs` edge). */
  names: string[];
  /** SVG path from the parent's right side to the child's left side. */
  path: string;
  /** Set when the edge is part of a cycle. */
  problem?: string;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: LayoutNode[];
  edges: LayoutEdge[];
  /** Every diagnostic of the graph, for a list under the picture. */
  messages: { severity: "error" | "warning"; message: string }[];
}

export const NODE_W = 170;
export const NODE_H = 66;
const GAP_X = 30;
const GAP_Y = 36;
const PAD = 16;
const HEADLINE_METRICS = 3;

/** The JSON form of a built graph (`nb.graph`), with cycles read back from its diagnostics. */
export function graphStructure(graph: StageGraph): GraphStructure {
  const cycles = graph.diagnostics.filter((d) => d.code === "cycle").map((d) => d.message.replace(/^stages form a cycle: /, "").split(" -> "));
  return {
    stages: [...graph.stages.values()].map((s) => ({ name: s.name, cellId: s.cellId, parents: [...s.parents], defs: [...s.defs], ...(graph.broken.has(s.name) ? { broken: graph.broken.get(s.name)! } : {}) })),
    edges: graph.edges.map((e) => ({ from: e.from, to: e.to, ...(e.name !== undefined ? { name: e.name } : {}) })),
    diagnostics: graph.diagnostics.map((d) => ({ severity: d.severity, code: d.code, message: d.message, stages: [...(d.stages ?? [])] })),
    cycles,
  };
}

/**
 * Lay the graph out top to bottom (it fits a side panel): a layer per depth (longest path from a
 * root; stages in a cycle count as roots of it), stages in notebook order within a layer. `runs` gives each
 * stage's state and last execution; stages without one are "not run".
 */
export function layoutGraph(g: GraphStructure, runs: Readonly<Record<string, StageRunView | undefined>> = {}): GraphLayout {
  const byName = new Map(g.stages.map((s) => [s.name, s]));
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (n: string): number => {
    if (depth.has(n)) return depth.get(n)!;
    if (visiting.has(n)) return 0;
    visiting.add(n);
    const d = Math.max(-1, ...(byName.get(n)?.parents ?? []).filter((p) => byName.has(p)).map(depthOf)) + 1;
    visiting.delete(n);
    depth.set(n, d);
    return d;
  };
  g.stages.forEach((s) => depthOf(s.name));
  const sparse: string[][] = [];
  for (const s of g.stages) (sparse[depth.get(s.name)!] ??= []).push(s.name);
  // A cycle can leave a depth empty: close the gaps.
  const columns = sparse.filter((c) => c !== undefined);
  columns.forEach((col, c) => col.forEach((name) => depth.set(name, c)));

  const warnings = new Map<string, string[]>();
  for (const d of g.diagnostics) if (d.severity === "warning") for (const s of d.stages) warnings.set(s, [...(warnings.get(s) ?? []), d.message]);
  const row = new Map<string, number>();
  for (const col of columns) col.forEach((name, r) => row.set(name, r));
  // Nodes in notebook order; their position comes from their column and row.
  const nodes: LayoutNode[] = g.stages.map((s) => {
    const run = runs[s.name];
    const problem = s.broken ? { severity: "error" as const, message: s.broken } : warnings.has(s.name) ? { severity: "warning" as const, message: warnings.get(s.name)!.join("; ") } : undefined;
    return {
      name: s.name,
      cellId: s.cellId,
      x: PAD + row.get(s.name)! * (NODE_W + GAP_X),
      y: PAD + depth.get(s.name)! * (NODE_H + GAP_Y),
      width: NODE_W,
      height: NODE_H,
      state: run?.state ?? "not run",
      ...(typeof run?.durationMs === "number" ? { durationMs: run.durationMs } : {}),
      cached: run?.cached === true || run?.state === "cached",
      metrics: Object.entries(run?.metrics ?? {}).slice(0, HEADLINE_METRICS).map(([k, v]) => `${k}=${formatMetric(v)}`),
      ...(problem ? { problem } : {}),
    };
  });
  const at = new Map(nodes.map((n) => [n.name, n]));
  const cycleSteps = new Map<string, string>();
  for (const cycle of g.cycles) for (let i = 0; i + 1 < cycle.length; i++) cycleSteps.set(`${cycle[i]}\0${cycle[i + 1]}`, `in a cycle: ${cycle.join(" -> ")}`);

  const grouped = new Map<string, string[]>();
  for (const e of g.edges) {
    if (!at.has(e.from) || !at.has(e.to)) continue;
    const key = `${e.from}\0${e.to}`;
    const names = grouped.get(key) ?? [];
    if (e.name !== undefined && !names.includes(e.name)) names.push(e.name);
    grouped.set(key, names);
  }
  const edges: LayoutEdge[] = [...grouped].map(([key, names]) => {
    const [from, to] = key.split("\0") as [string, string];
    const a = at.get(from)!;
    const b = at.get(to)!;
    const problem = cycleSteps.get(key);
    return { from, to, names, path: edgePath(a, b), ...(problem ? { problem } : {}) };
  });
  return {
    width: PAD * 2 + Math.max(1, ...columns.map((c) => c.length)) * (NODE_W + GAP_X) - GAP_X,
    height: PAD * 2 + Math.max(1, columns.length) * (NODE_H + GAP_Y) - GAP_Y,
    nodes,
    edges,
    messages: g.diagnostics.map((d) => ({ severity: d.severity, message: d.message })),
  };
}

/** A curve from a's bottom to b's top; a backward edge (a cycle) loops round the right of both. */
function edgePath(a: LayoutNode, b: LayoutNode): string {
  const x1 = a.x + a.width / 2;
  const y1 = a.y + a.height;
  const x2 = b.x + b.width / 2;
  const y2 = b.y;
  if (y2 > y1) {
    const my = (y1 + y2) / 2;
    return `M${x1},${y1} C${x1},${my} ${x2},${my} ${x2},${y2 - 2}`;
  }
  const right = Math.max(a.x + a.width, b.x + b.width) + GAP_X / 2 + 6;
  return `M${x1},${y1} C${x1},${y1 + 30} ${right},${y1 + 30} ${right},${(y1 + y2) / 2} S${x2},${y2 - 30} ${x2},${y2 - 2}`;
}

/** A duration for a node, e.g. "340 ms", "1.2 s" (the one duration format). */
export function shortDuration(ms: number): string {
  return formatDuration(ms);
}

function formatMetric(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(3)));
}
