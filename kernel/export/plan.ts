// The export plan of a notebook: its stages in run order with inputs, outputs, params, seeds and gates, or why it cannot be exported.
import { formatDiagnostics, isMagic, parseMagics, stageOf, type ParsedCell } from "../magics/parse.js";
import { extractParams, type ParamDef } from "../magics/paramValues.js";
import type { Gate } from "../magics/types.js";
import { codeHash } from "../stages/cacheKey.js";
import { analyzeCell, type CellNames } from "../stages/defs.js";
import { buildGraph, cellInput } from "../stages/graph.js";
import type { Notebook } from "../notebook/format.js";
import { assignedInputs, stageBody } from "./body.js";
import { findImports, hoistImports, type CellImport, type ImportSource } from "./imports.js";

/** One stage as the script runs it. */
export interface StagePlan {
  name: string;
  /** 1-based index of the stage's cell in the notebook. */
  cell: number;
  /** The cell's code with magics removed: what the kernel hashes (`codeHash`). */
  code: string;
  codeHash: string;
  /** The function body (indented, imports hoisted, ends with `return { ... }`). */
  body: string;
  /** Input name -> the stage that defines it. */
  inputs: Record<string, string>;
  /** Notebook params the stage reads. */
  params: string[];
  /** Every name the stage function returns (variables, functions, classes). */
  outputs: string[];
  /** The outputs the kernel stores and hashes: the variables. */
  tracked: string[];
  needs: string[];
  gates: Gate[];
  seed: number;
  /** Kubernetes resource requests of the stage's task (`%%stage --resources`), when given. */
  resources?: Record<string, string>;
}

export interface ExportPlan {
  stages: StagePlan[];
  params: ParamDef[];
  /** 1-based cell of `%%params`, if any. */
  paramsCell?: number;
  /** Hoisted import lines. */
  imports: string[];
  /** Code cells left out of the script (not stages), with the reason. */
  skipped: { cell: number; reason: string }[];
  warnings: string[];
}

/** Why a notebook cannot be exported; each message names the cell or stage and the name concerned. */
export class ExportError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "ExportError";
  }
}

/** Defaults per magic: the seed a notebook without `%seed` runs with. */
export const DEFAULT_SEED = 0;

interface Cell {
  index: number;
  parsed: ParsedCell;
  names: CellNames;
  imports: CellImport[];
  stage?: NonNullable<ReturnType<typeof stageOf>>;
  params: boolean;
  seed: number;
}

/**
 * Plan the export of a notebook. Throws `ExportError` listing every problem: a cell whose magics
 * do not parse, two stages defining one name, a cycle, a `--needs` of no stage, a stage reading a
 * variable only a non-stage cell defines, or assigning to another stage's variable. `modulesHash`
 * gives the hash of the local modules a stage's code imports (its code hash includes it, as the kernel's does).
 */
export function planExport(nb: Notebook, modulesHash: (code: string) => string | undefined = () => undefined): ExportPlan {
  const problems: string[] = [];
  const warnings: string[] = [];
  const cells: Cell[] = [];
  let seed = DEFAULT_SEED;
  nb.cells.forEach((c, i) => {
    if (c.kind !== "code" || !c.source.trim()) return;
    const parsed = parseMagics(c.source);
    if (!parsed.ok) {
      problems.push(formatDiagnostics(parsed.diagnostics, `cell ${i + 1}`));
      return;
    }
    for (const m of parsed.lineMagics) if (isMagic(m, "line", "seed")) seed = m.args.seed;
    const stage = stageOf(parsed);
    cells.push({ index: i + 1, parsed, names: analyzeCell(parsed.code), imports: findImports(parsed.code), ...(stage ? { stage } : {}), params: isMagic(parsed.cellMagic, "cell", "params"), seed });
  });
  if (problems.length) throw new ExportError(problems);

  const graph = buildGraph(cells.map((c) => ({ ...cellInput(String(c.index), c.parsed), names: c.names })));
  const byIndex = new Map(cells.map((c) => [String(c.index), c]));
  const importedBy = new Map<string, Cell>();
  for (const c of cells) if (!c.stage) for (const imp of c.imports) for (const b of imp.bindings) importedBy.set(b.local, c);

  const paramsCells = cells.filter((c) => c.params);
  if (paramsCells.length > 1) problems.push(`cells ${paramsCells.map((c) => c.index).join(" and ")} are both %%params cells; a notebook has one`);
  const paramsCell = paramsCells[0];
  const extracted = paramsCell ? extractParams(paramsCell.parsed.code) : { params: [], skipped: [] };

  const hoisted: ImportSource[] = [];
  // Imports are code, not stage outputs (the graph ignores them): a stage may use a name a
  // non-stage cell imports, and the script hoists that import.
  const usedNonStageImports = new Set<CellImport>();
  for (const c of cells) {
    if (!c.stage) continue;
    for (const ref of c.names.refs) {
      for (const imp of importedBy.get(ref)?.imports ?? []) if (imp.bindings.some((b) => b.local === ref)) usedNonStageImports.add(imp);
    }
  }
  for (const d of graph.diagnostics) {
    // Stages importing the same module each "define" its name; hoisting makes that one import.
    const allImports = d.code === "duplicate-definition" && d.name !== undefined && d.stages.every((s) => byIndex.get(graph.stages.get(s)?.cellId ?? "")?.names.kinds[d.name!] === "import");
    if (allImports) continue;
    if (d.severity === "error" || d.code === "reads-non-stage") {
      problems.push(d.code === "reads-non-stage" ? `${d.message}: a script has no such cell; make that cell a stage (%%stage NAME) or move "${d.name}" into stage "${d.stages[0]}"` : d.message);
    }
  }
  for (const c of cells) {
    if (c.stage) for (const imp of c.imports) hoisted.push({ imp, from: `stage "${c.stage.stage}" (cell ${c.index})` });
    else for (const imp of c.imports) if (usedNonStageImports.has(imp) || imp.sideEffect) hoisted.push({ imp, from: `cell ${c.index}` });
  }

  const stages: StagePlan[] = [];
  for (const name of graph.order) {
    const node = graph.stages.get(name)!;
    const cell = byIndex.get(node.cellId)!;
    const kinds = cell.names.kinds;
    const inputs: Record<string, string> = {};
    for (const i of node.inputs) {
      const definer = byIndex.get(graph.stages.get(i.stage)!.cellId)!;
      if (definer.names.kinds[i.name] === "import") continue; // hoisted: in scope for every stage
      inputs[i.name] = i.stage;
    }
    const skippedParams = extracted.skipped.map((s) => s.name).filter((n) => node.params.includes(n));
    for (const n of skippedParams) problems.push(`stage "${name}" reads "${n}" from the %%params cell, which is not a literal param (${extracted.skipped.find((s) => s.name === n)!.reason})`);
    for (const n of assignedInputs(cell.parsed.code, [...Object.keys(inputs), ...node.params])) {
      problems.push(`stage "${name}" assigns to "${n}", which ${inputs[n] ? `stage "${inputs[n]}" defines` : "is a notebook param"}; in a script each stage has its own copy: declare a new name in "${name}" instead`);
    }
    const outputs = node.defs.filter((d) => kinds[d] !== "import");
    stages.push({
      name,
      cell: cell.index,
      code: cell.parsed.code,
      codeHash: codeHash(cell.parsed.code, modulesHash(cell.parsed.code)),
      body: stageBody(cell.parsed, cell.imports, outputs),
      inputs,
      params: node.params.filter((p) => !skippedParams.includes(p)),
      outputs,
      tracked: outputs.filter((d) => (kinds[d] ?? "variable") === "variable"),
      needs: [...node.needs],
      gates: cell.stage!.gates,
      seed: cell.seed,
      ...(cell.stage!.resources ? { resources: cell.stage!.resources } : {}),
    });
  }
  if (!graph.stages.size) problems.push("the notebook has no %%stage cells: nothing to export (mark the pipeline's cells with %%stage NAME)");

  // Cells use the kernel's `display` global; a script imports it (merged with other mlnb imports).
  const readsDisplay = cells.some((c) => c.stage && c.names.refs.includes("display") && !c.names.defs.includes("display"));
  const importsDisplay = hoisted.some((h) => h.imp.bindings.some((b) => b.local === "display"));
  if (readsDisplay && !importsDisplay) hoisted.unshift({ imp: { specifier: "mlnb", bindings: [{ imported: "display", local: "display", typeOnly: false }], sideEffect: false, start: 0, end: 0 }, from: "the display global" });
  const hoistedImports = hoistImports(hoisted);
  if (!hoistedImports.ok) problems.push(hoistedImports.message);
  if (problems.length) throw new ExportError(problems);
  const imports = hoistedImports.ok ? hoistedImports.lines : [];

  const skipped = cells.filter((c) => !c.stage).map((c) => ({ cell: c.index, reason: c.params ? "%%params: its values are `params` below" : "not a stage" }));
  for (const c of cells) if (!c.stage && !c.params && c.names.defs.some((d) => c.names.kinds[d] !== "import")) warnings.push(`cell ${c.index} is not a stage: left out of the script`);
  return { stages, params: extracted.params, ...(paramsCell ? { paramsCell: paramsCell.index } : {}), imports, skipped, warnings };
}
