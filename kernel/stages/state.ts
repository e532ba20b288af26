// Stage states and how they flow down the graph: edits and failures make descendants stale.
import { descendants, inRunOrder, type StageGraph } from "./graph.js";

/**
 * What a stage's status bar shows. A stage with no state has never run: it counts as stale.
 * "unloaded": not run in this kernel, but the store holds an execution matching its key (a
 * restarted kernel); running it restores it.
 */
export type StageState = "fresh" | "cached" | "stale" | "failed" | "running" | "unloaded";

export type StageStates = ReadonlyMap<string, StageState>;

/**
 * Mark `changed` stages and every stage downstream of them stale (after an edit of their code,
 * or when they produced different outputs). Returns a new map; `states` is not modified.
 */
export function markStale(graph: StageGraph, changed: Iterable<string>, states: StageStates = new Map()): Map<string, StageState> {
  const next = new Map(states);
  const roots = [...changed].filter((s) => graph.stages.has(s));
  for (const s of [...roots, ...descendants(graph, roots)]) next.set(s, "stale");
  return next;
}

/**
 * Record the end of a stage execution. A failure marks the stage failed and its descendants
 * stale (they cannot be fresh; nothing throws). A success marks it fresh (or cached, when
 * restored), and its descendants stale only when its outputs' hashes changed.
 */
export function markFinished(
  graph: StageGraph,
  stage: string,
  outcome: { status: "ok" | "cached" | "failed"; outputsChanged?: boolean },
  states: StageStates = new Map(),
): Map<string, StageState> {
  let next = new Map(states);
  if (outcome.status === "failed" || outcome.outputsChanged) next = markStale(graph, descendants(graph, [stage]), next);
  next.set(stage, outcome.status === "ok" ? "fresh" : outcome.status);
  return next;
}

/** Stages that need a run ("Run Stale Stages"): stale, failed or never run, in run order. */
export function staleStages(graph: StageGraph, states: StageStates): string[] {
  return inRunOrder(graph, graph.order.filter((s) => {
    const state = states.get(s);
    return state === undefined || state === "stale" || state === "failed";
  }));
}
