// Kernel commands that are not cell code: notebook sync, stage states, which cells to run.
import type { Executor } from "../exec/executor.js";
import { describeType } from "./lineMagics.js";
import type { NotebookState } from "./notebook.js";
import { runViewCommand, VIEW_COMMANDS } from "./viewCommands.js";
import { graphStructure } from "../stages/views/graphLayout.js";

/**
 * Run a command. `sync` {cells: [{id, source}]} tells the kernel the whole notebook (so the graph
 * knows stages not run yet); `stages` returns stage states by name with their cell ids;
 * `staleCells` the cell ids of stale/failed/never-run stages in run order; `upstreamCells`
 * {stage} a stage and everything it depends on, in run order; `variables` the %who entries.
 * `sync` and `stages` also return the graph's structure (the graph view draws it); the views'
 * commands (runs, table pages, stored outputs...) are in viewCommands.ts.
 */
export async function runCommand(nb: NotebookState, executor: Executor, command: string, args: Record<string, unknown>): Promise<unknown> {
  const { stages } = nb.mods;
  const cellsOf = (names: string[]) => names.map((n) => nb.graph.stages.get(n)!.cellId);
  switch (command) {
    case "sync": {
      const cells = args.cells;
      if (!Array.isArray(cells) || !cells.every((c) => typeof c?.id === "string" && typeof c?.source === "string")) throw new Error("sync: args.cells must be [{ id, source }]");
      nb.sync(cells as { id: string; source: string }[]);
      return { ...nb.snapshot(), diagnostics: nb.graph.diagnostics, graph: graphStructure(nb.graph) };
    }
    case "stages":
      return { ...nb.snapshot(), diagnostics: nb.graph.diagnostics, graph: graphStructure(nb.graph) };
    case "staleCells":
      return cellsOf(stages.staleStages(nb.graph, nb.states));
    case "upstreamCells": {
      const stage = typeof args.stage === "string" ? args.stage : [...nb.graph.stages.values()].find((s) => s.cellId === args.cellId)?.name;
      if (!stage || !nb.graph.stages.has(stage)) throw new Error(`upstreamCells: no stage ${JSON.stringify(args.stage ?? args.cellId)} in the notebook`);
      return cellsOf(stages.withUpstream(nb.graph, stage));
    }
    case "variables":
      return Object.keys(executor.scope).filter((n) => n !== "display").map((name) => ({ name, stage: nb.graph.definedBy.get(name), type: describeType(executor.scope[name]) }));
    default:
      if ((VIEW_COMMANDS as readonly string[]).includes(command)) return runViewCommand(nb, executor, command, args);
      throw new Error(`unknown command: ${command}`);
  }
}
