// Line magics that act on the kernel: %seed, %stages, %graph, %who, %reset, %export.
import { isTable } from "../ml/display.js";
import type { Executor } from "../exec/executor.js";
import { KERNEL_SCOPE_NAMES } from "../exec/moduleGlobals.js";
import type { ParsedMagic } from "../magics/index.js";
import type { CellIO } from "./runCell.js";
import type { NotebookState } from "./notebook.js";
import { staleAfterChange } from "./plan.js";

/** Run one line magic; returns an error message when it cannot. (`%time` is handled by the caller.) */
export async function runLineMagic(nb: NotebookState, executor: Executor, magic: ParsedMagic, io: CellIO): Promise<string | undefined> {
  const { stages } = nb.mods;
  switch (magic.name) {
    case "seed": {
      const seed = (magic.args as { seed: number }).seed;
      if (seed !== nb.seed) {
        nb.seed = seed;
        // Every stage draws from the seed: all of them are stale now.
        nb.states = stages.markStale(nb.graph, staleAfterChange(nb, nb.graph.order, { seed }), nb.states);
      }
      return undefined;
    }
    case "stages":
      io.display(stages.renderStagesTable(nb.graph, nb.info));
      return undefined;
    case "graph":
      io.display({ "image/svg+xml": stages.renderGraphSvg(nb.graph, nb.states, nb.info), "text/plain": `stage graph: ${nb.graph.order.join(" → ") || "no stages"}` });
      return undefined;
    case "who": {
      const entries = Object.keys(executor.scope)
        .filter((n) => !KERNEL_SCOPE_NAMES.has(n))
        .map((name) => ({ name, stage: nb.graph.definedBy.get(name), type: describeType(executor.scope[name]) }));
      io.display(stages.renderWho(entries));
      return undefined;
    }
    case "reset":
      executor.reset();
      nb.reset();
      io.stream("stdout", "kernel variables and stage states cleared\n");
      return undefined;
    case "export": {
      const path = (magic.args as { path?: string }).path;
      let mod: { exportNotebookFiles?: (notebookPath: string, outPath?: string) => Promise<{ script: string; lock: string }> };
      try {
        // Loaded by name: the exporter is optional at build time and heavy at start-up.
        const exporter = "../export/index.js";
        mod = await import(exporter);
      } catch (e) {
        return `export is not available: ${(e as Error).message}`;
      }
      if (!mod.exportNotebookFiles) return "export is not available in this build";
      try {
        const written = await mod.exportNotebookFiles(nb.notebookPath, path);
        io.stream("stdout", `exported ${written.script}\nlock ${written.lock}\n`);
      } catch (e) {
        return (e as Error).message;
      }
      return undefined;
    }
    default:
      return `not a line magic the kernel runs`;
  }
}

/** A short description of a value's type for %who ("table 344×7", "number", "LayersModel"). */
export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (isTable(value)) return `table ${value.numRows()}×${value.numCols()}`;
  if (Array.isArray(value)) return `array[${value.length}]`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}[${(value as unknown as { length: number }).length}]`;
  if (typeof value === "function") return /^class\s/.test(Function.prototype.toString.call(value)) ? "class" : "function";
  if (typeof value === "object") return (value as object).constructor?.name ?? "object";
  return typeof value;
}
