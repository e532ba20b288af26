// Kernel commands that are not cell code: notebook sync, stage states, which cells to run.
import type { Executor } from "../exec/executor.js";
import { KERNEL_SCOPE_NAMES } from "../exec/moduleGlobals.js";
import { describeType } from "./lineMagics.js";
import type { NotebookState } from "./notebook.js";
import { cellsToRun, markUnloaded, staleRun } from "./plan.js";
import { runViewCommand, VIEW_COMMANDS } from "./viewCommands.js";
import { graphStructure } from "../stages/views/graphLayout.js";

/**
 * Run a command. `sync` {cells: [{id, source}]} tells the kernel the whole notebook (so the graph
 * knows stages not run yet); `stages` returns stage states by name with their cell ids ("unloaded"
 * for a stage the store can restore but this kernel has not run); `staleCells` the cell ids of
 * stale/failed/never-run stages and the unloaded stages they need, `upstreamCells` {stage} a stage
 * and everything it depends on, each after the cells they need that are not stages and have not
 * run here (`%%params`, `%seed`, plain cells defining names they read); `variables` the %who entries;
 * `loaded` whether TypeScript is loaded (on any of the kernel's threads), whether the language
 * thread has started (`threads` says so) and whether the type checker's thread has.
 * `sync` and `stages` also return the graph's structure (the graph view draws it); the views'
 * commands (runs, table pages, stored outputs...) are in viewCommands.ts.
 */
export async function runCommand(nb: NotebookState, executor: Executor, command: string, args: Record<string, unknown>, threads: { languageThread(): boolean } = { languageThread: () => false }): Promise<unknown> {
  const { stages } = nb.mods;
  switch (command) {
    case "sync": {
      const cells = args.cells;
      if (!Array.isArray(cells) || !cells.every((c) => typeof c?.id === "string" && typeof c?.source === "string")) throw new Error("sync: args.cells must be [{ id, source }]");
      nb.sync(cells as { id: string; source: string }[]);
      markUnloaded(nb);
      return { ...nb.snapshot(), diagnostics: nb.graph.diagnostics, graph: graphStructure(nb.graph) };
    }
    case "stages":
      markUnloaded(nb);
      return { ...nb.snapshot(), diagnostics: nb.graph.diagnostics, graph: graphStructure(nb.graph) };
    case "staleCells":
      markUnloaded(nb);
      return cellsToRun(nb, staleRun(nb));
    case "upstreamCells": {
      const stage = typeof args.stage === "string" ? args.stage : [...nb.graph.stages.values()].find((s) => s.cellId === args.cellId)?.name;
      if (!stage || !nb.graph.stages.has(stage)) throw new Error(`upstreamCells: no stage ${JSON.stringify(args.stage ?? args.cellId)} in the notebook`);
      return cellsToRun(nb, stages.withUpstream(nb.graph, stage));
    }
    case "loaded":
      // Which heavy modules this kernel has loaded (a restored stage and an unchecked cell must not need TypeScript).
      return { typescript: await executor.typescriptLoaded(), languageThread: threads.languageThread(), checkerThread: executor.checkerThread(), checker: executor.checkerAt() ?? null };
    case "variables":
      return Object.keys(executor.scope).filter((n) => !KERNEL_SCOPE_NAMES.has(n)).map((name) => ({ name, stage: nb.graph.definedBy.get(name), type: describeType(executor.scope[name]) }));
    default:
      if ((VIEW_COMMANDS as readonly string[]).includes(command)) return runViewCommand(nb, executor, command, args);
      throw new Error(`unknown command: ${command}`);
  }
}
