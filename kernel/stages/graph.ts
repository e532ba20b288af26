// The stage graph coordinator: cells -> defs/refs -> edges -> cycles -> topological order.
import { analyzeCell, type CellNames } from "./defs.js";
import { computeEdges, type Edge, type GraphDiagnostic } from "./edges.js";
import { findCycles } from "./cycles.js";
import { topoOrder } from "./topo.js";
import { isMagic, type ParsedCell } from "../magics/parse.js";

export type { Edge, GraphDiagnostic } from "./edges.js";

/** A notebook cell given to `buildGraph`: its code with magics removed, and what its magics say. */
export interface CellInput {
  id: string;
  code: string;
  /** Set for `%%stage` cells. */
  stage?: { name: string; needs?: readonly string[] };
  /** True for the `%%params` cell: its names are parameters, not untracked globals. */
  params?: boolean;
  /** Precomputed names (skips parsing `code`). */
  names?: CellNames;
}

export interface StageNode {
  name: string;
  cellId: string;
  /** Position among the notebook's cells. */
  cellIndex: number;
  /** Top-level value names the stage defines: its outputs. */
  defs: string[];
  /** Names read from other stages, with the stage defining each: its inputs. */
  inputs: { name: string; stage: string }[];
  /** Notebook params the stage reads (part of its cache key). */
  params: string[];
  needs: string[];
  parents: string[];
  children: string[];
}

export interface StageGraph {
  stages: ReadonlyMap<string, StageNode>;
  edges: readonly Edge[];
  /** Stages in run order (parents first, ties in notebook order); excludes stages in or below a cycle. */
  order: string[];
  /** Stages that cannot run as the graph stands, with the reason (cycle, duplicate definition). */
  broken: ReadonlyMap<string, string>;
  /** Errors and warnings; the graph is usable for the stages not in `broken`. */
  diagnostics: GraphDiagnostic[];
  /** Value name -> the stage that defines it (first one, when two do). */
  definedBy: ReadonlyMap<string, string>;
}

/** The graph's view of a cell whose magics parsed (`parseMagics`): its code, stage name and needs, params flag. */
export function cellInput(id: string, parsed: ParsedCell): CellInput {
  const magic = parsed.cellMagic;
  if (isMagic(magic, "cell", "stage")) return { id, code: parsed.code, stage: { name: magic.args.stage, needs: magic.args.needs } };
  return { id, code: parsed.code, ...(isMagic(magic, "cell", "params") ? { params: true } : {}) };
}

/**
 * Build the stage graph of a notebook. Never throws for user mistakes: a name defined by two
 * stages, a cycle, an unknown `--needs` and a stage reading a name only a non-stage cell
 * defines are diagnostics naming the stages involved.
 */
export function buildGraph(cells: readonly CellInput[]): StageGraph {
  const graphCells = cells.map((c) => ({
    id: c.id,
    ...(c.stage ? { stage: c.stage.name, needs: c.stage.needs ?? [] } : {}),
    params: c.params ?? false,
    names: withoutImports(c.names ?? analyzeCell(c.code)),
  }));
  const { edges, definedBy, paramsRead, diagnostics } = computeEdges(graphCells);

  const stages = new Map<string, StageNode>();
  graphCells.forEach((c, cellIndex) => {
    if (!c.stage || stages.has(c.stage)) return;
    stages.set(c.stage, { name: c.stage, cellId: c.id, cellIndex, defs: [...c.names.defs], inputs: [], params: paramsRead.get(c.stage) ?? [], needs: [...(c.needs ?? [])], parents: [], children: [] });
  });
  for (const e of edges) {
    const to = stages.get(e.to)!;
    const from = stages.get(e.from)!;
    if (e.name !== undefined && !to.inputs.some((i) => i.name === e.name && i.stage === e.from)) to.inputs.push({ name: e.name, stage: e.from });
    if (!to.parents.includes(e.from)) to.parents.push(e.from);
    if (!from.children.includes(e.to)) from.children.push(e.to);
  }

  const names = [...stages.keys()];
  const children = new Map(names.map((n) => [n, stages.get(n)!.children]));
  const broken = new Map<string, string>();
  for (const cycle of findCycles(names, children)) {
    const text = cycle.join(" -> ");
    diagnostics.push({ severity: "error", code: "cycle", message: `stages form a cycle: ${text}`, stages: [...new Set(cycle)] });
    for (const s of cycle) broken.set(s, `in a cycle: ${text}`);
  }
  for (const d of diagnostics) {
    if (d.code === "duplicate-definition") for (const s of d.stages) broken.has(s) || broken.set(s, d.message);
  }
  const { order, unordered } = topoOrder(names, new Map(names.map((n) => [n, stages.get(n)!.parents])));
  for (const s of unordered) if (!broken.has(s)) broken.set(s, "downstream of a cycle");

  return {
    stages,
    edges,
    order,
    broken,
    diagnostics,
    definedBy: new Map([...definedBy].map(([name, s]) => [name, s[0]!])),
  };
}

/**
 * Imported names are code, not data: every cell may import what it uses, two stages importing
 * one name define nothing twice, and reading an imported name is no edge (the exported script
 * hoists all imports to its top).
 */
function withoutImports(names: CellNames): CellNames {
  const imported = new Set(names.defs.filter((d) => names.kinds[d] === "import"));
  if (imported.size === 0) return names;
  return { ...names, defs: names.defs.filter((d) => !imported.has(d)) };
}

/** Every stage downstream of `names` (not including them), in run order. */
export function descendants(graph: StageGraph, names: Iterable<string>): string[] {
  return reach(graph, names, (n) => n.children);
}

/** Every stage upstream of `names` (not including them), in run order. */
export function ancestors(graph: StageGraph, names: Iterable<string>): string[] {
  return reach(graph, names, (n) => n.parents);
}

function reach(graph: StageGraph, start: Iterable<string>, next: (n: StageNode) => string[]): string[] {
  const starts = new Set(start);
  const seen = new Set<string>();
  const queue = [...starts];
  while (queue.length) {
    const node = graph.stages.get(queue.pop()!);
    for (const m of node ? next(node) : []) {
      if (!seen.has(m)) {
        seen.add(m);
        queue.push(m);
      }
    }
  }
  for (const s of starts) seen.delete(s);
  return inRunOrder(graph, seen);
}

/** The given stages sorted in run order (stages outside `order`, e.g. in a cycle, go last in notebook order). */
export function inRunOrder(graph: StageGraph, names: Iterable<string>): string[] {
  const rank = new Map(graph.order.map((n, i) => [n, i]));
  const key = (n: string) => rank.get(n) ?? graph.order.length + (graph.stages.get(n)?.cellIndex ?? 0);
  return [...new Set(names)].sort((a, b) => key(a) - key(b));
}

/** Stages to run for "Run Stage With Upstream": the stage's ancestors and itself, in run order. */
export function withUpstream(graph: StageGraph, name: string): string[] {
  return [...ancestors(graph, [name]), name];
}
