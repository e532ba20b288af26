// Edges of the stage graph: which stage defines each name a stage reads, plus `--needs`.
import { closest } from "../magics/suggest.js";
import type { CellNames } from "./defs.js";

/** One cell as the graph sees it. `stage` is set for `%%stage` cells; `params` for `%%params` cells. */
export interface GraphCell {
  id: string;
  stage?: string;
  needs?: readonly string[];
  params?: boolean;
  names: CellNames;
}

/** A problem with the graph; `stages` names every stage involved. */
export interface GraphDiagnostic {
  severity: "error" | "warning";
  code: "duplicate-definition" | "duplicate-stage" | "cycle" | "unknown-need" | "reads-non-stage";
  message: string;
  stages: string[];
  /** The variable concerned, when there is one. */
  name?: string;
}

/** A dependency: `to` reads `name` defined by `from` (or needs it, when `name` is undefined). */
export interface Edge {
  from: string;
  to: string;
  name?: string;
}

export interface EdgeResult {
  edges: Edge[];
  /** Value name -> stages defining it, in notebook order. */
  definedBy: Map<string, string[]>;
  /** Stage -> notebook params it reads. */
  paramsRead: Map<string, string[]>;
  diagnostics: GraphDiagnostic[];
}

/** Compute edges and definition problems over the stage cells (non-stage cells only matter for warnings). */
export function computeEdges(cells: readonly GraphCell[]): EdgeResult {
  const diagnostics: GraphDiagnostic[] = [];
  const definedBy = new Map<string, string[]>();
  const definedByOther = new Map<string, string>();
  const paramNames = new Set<string>();
  const stageNames = new Set<string>();
  cells.forEach((cell, index) => {
    if (cell.params) cell.names.defs.forEach((d) => paramNames.add(d));
    if (!cell.stage) {
      if (!cell.params) cell.names.defs.forEach((d) => definedByOther.has(d) || definedByOther.set(d, `cell ${index + 1}`));
      return;
    }
    if (stageNames.has(cell.stage)) {
      diagnostics.push({ severity: "error", code: "duplicate-stage", message: `two cells are named stage "${cell.stage}" (the second is cell ${index + 1})`, stages: [cell.stage] });
      return;
    }
    stageNames.add(cell.stage);
    for (const name of cell.names.defs) definedBy.set(name, [...(definedBy.get(name) ?? []), cell.stage]);
  });
  for (const [name, stages] of definedBy) {
    if (stages.length > 1) {
      diagnostics.push({ severity: "error", code: "duplicate-definition", message: `"${name}" is defined by two stages: ${stages.map((s) => `"${s}"`).join(" and ")}; a name must have one defining stage`, stages: [...stages], name });
    }
  }

  const edges: Edge[] = [];
  const paramsRead = new Map<string, string[]>();
  const seenStage = new Set<string>();
  for (const cell of cells) {
    const stage = cell.stage;
    if (!stage || seenStage.has(stage)) continue;
    seenStage.add(stage);
    const params: string[] = [];
    const link = (name: string, typeOnly: boolean) => {
      const definers = (definedBy.get(name) ?? []).filter((s) => s !== stage);
      if (definers.length) {
        for (const from of definers) edges.push({ from, to: stage, name });
      } else if (cell.names.defs.includes(name)) {
        // its own definition
      } else if (paramNames.has(name)) {
        if (!typeOnly) params.push(name);
      } else if (!typeOnly && definedByOther.has(name)) {
        diagnostics.push({ severity: "warning", code: "reads-non-stage", message: `stage "${stage}" reads "${name}", which only a non-stage cell (${definedByOther.get(name)}) defines; it is not tracked`, stages: [stage], name });
      }
    };
    cell.names.refs.forEach((r) => link(r, false));
    cell.names.typeRefs.forEach((r) => link(r, true));
    paramsRead.set(stage, params);
    for (const need of cell.needs ?? []) {
      if (stageNames.has(need)) edges.push({ from: need, to: stage });
      else {
        const guess = closest(need, stageNames);
        diagnostics.push({ severity: "error", code: "unknown-need", message: `stage "${stage}" --needs "${need}", which is not a stage${guess ? `; did you mean "${guess}"?` : ""}`, stages: [stage], name: need });
      }
    }
  }
  return { edges: dedupe(edges), definedBy, paramsRead, diagnostics };
}

function dedupe(edges: Edge[]): Edge[] {
  const seen = new Set<string>();
  return edges.filter((e) => {
    const key = `${e.from}\0${e.to}\0${e.name ?? ""}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
