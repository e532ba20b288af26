// Runs one cell as the notebook's pipeline sees it: magics, then a plain run, a params cell or a stage.
import { dirname } from "node:path";
import type { CellOutcome, Executor } from "../exec/executor.js";
import { localModulesHash } from "../exec/localModules.js";
import type { Mime } from "../ml/context.js";
import type { ExecuteOptions } from "../protocol.js";
import { runLineMagic } from "./lineMagics.js";
import { instrumentTimedLines, wallTime } from "../exec/timeLine.js";
import type { KnownCell, NotebookState } from "./notebook.js";
import { staleAfterChange } from "./plan.js";

/** Where a running cell's output goes. */
export interface CellIO {
  display(data: Mime, displayId?: string): void;
  stream(name: "stdout" | "stderr", text: string): void;
  /** Stage bookkeeping for the extension's status bars. */
  stage(info: Record<string, unknown>): void;
}

export interface CellRequest {
  cellId: string;
  label: string;
  options: ExecuteOptions;
  /** Aborted when the user interrupts this request: a cell not yet started then never starts. */
  signal?: AbortSignal;
}

const failed = (name: string, message: string, line?: number, column?: number): CellOutcome => ({ status: "error", error: { name, message, line, column }, declared: [], warnings: [] });

/** Run a cell whose source the notebook state already holds (`nb.setCell` first). */
export async function runCell(nb: NotebookState, executor: Executor, cell: KnownCell, req: CellRequest, io: CellIO): Promise<CellOutcome> {
  const outcome = await runKnownCell(nb, executor, cell, req, io);
  // What ran here need not run again before a stage that needs it (see plan.ts).
  if (outcome.status === "ok") nb.ran.set(cell.id, cell.source);
  else nb.ran.delete(cell.id);
  return outcome;
}

async function runKnownCell(nb: NotebookState, executor: Executor, cell: KnownCell, req: CellRequest, io: CellIO): Promise<CellOutcome> {
  const { magics } = nb.mods;
  const parsed = magics.parseMagics(cell.source);
  if (!parsed.ok) {
    const first = parsed.diagnostics.find((d) => d.severity === "error") ?? parsed.diagnostics[0];
    return failed("MagicError", magics.formatDiagnostics(parsed.diagnostics, req.label), first?.line, first?.column);
  }
  for (const w of parsed.diagnostics) io.stream("stderr", `warning: ${req.label}:${w.line}:${w.column}: ${w.message}\n`);

  let code = parsed.code;
  const started = performance.now();
  let timeIt = false;
  const timedLines: number[] = [];
  for (const magic of parsed.lineMagics) {
    if (magic.name === "time") {
      timedLines.push(magic.line);
      continue;
    }
    const problem = await runLineMagic(nb, executor, magic, io);
    if (problem) return failed("MagicError", `${req.label}:${magic.line}: %${magic.name}: ${problem}`, magic.line, 1);
  }

  if (timedLines.length) {
    const timed = instrumentTimedLines(await executor.typescript(), code, timedLines);
    if (timed.unmatched.length) return failed("MagicError", `${req.label}:${timed.unmatched[0]}: %time: no statement starts after %time on this line`, timed.unmatched[0], 1);
    code = timed.code;
  }

  const cellMagic = parsed.cellMagic;
  let outcome: CellOutcome;
  if (magics.isMagic(cellMagic, "cell", "stage")) {
    outcome = await runStage(nb, executor, cell, code, cellMagic.args, req, io);
  } else {
    if (magics.isMagic(cellMagic, "cell", "params")) {
      const { params } = nb.facts.params(code);
      const applied = magics.applyParamOverrides(params, req.options.params ?? {});
      if (!applied.ok) return failed("ParamError", applied.errors.join("\n"));
      const changed = Object.keys(applied.values).filter((k) => JSON.stringify(nb.params[k]) !== JSON.stringify(applied.values[k]));
      nb.params = { ...applied.values };
      code = magics.substituteParams(code, params, applied.values);
      // Stages reading a changed param are stale.
      const readers = [...nb.graph.stages.values()].filter((s) => s.params.some((p) => changed.includes(p))).map((s) => s.name);
      if (readers.length) nb.states = nb.mods.stages.markStale(nb.graph, staleAfterChange(nb, readers, { params: applied.values }), nb.states);
    }
    if (magics.isMagic(cellMagic, "cell", "time")) timeIt = true;
    outcome = await executor.run(code, { label: req.label, signal: req.signal, typeCheck: req.options.typeCheck });
  }
  if (timeIt) io.stream("stdout", `${wallTime(performance.now() - started)}\n`);
  return outcome;
}

type StageArgs = { stage: string; needs: string[]; noCache: boolean; gates: import("../magics/index.js").Gate[] };

async function runStage(nb: NotebookState, executor: Executor, cell: KnownCell, code: string, args: StageArgs, req: CellRequest, io: CellIO): Promise<CellOutcome> {
  const { stages } = nb.mods;
  const graph = nb.graph;
  const name = args.stage;
  const node = graph.stages.get(name);
  const broken = graph.broken.get(name);
  if (!node || broken) return failed("StageError", `stage ${name}: ${broken ?? "not in the stage graph"}`);
  for (const d of graph.diagnostics) {
    if (d.severity === "warning" && d.stages?.includes(name)) io.stream("stderr", `warning: ${d.message}\n`);
  }
  const report = (extra: Record<string, unknown>) => io.stage({ stage: name, cellId: cell.id, ...extra, ...nb.snapshot() });

  nb.states = new Map(nb.states).set(name, "running");
  report({ state: "running" });
  const modules = localModulesHash(code, dirname(nb.notebookPath));
  nb.moduleHashes.set(name, { code, hash: modules });
  const before = new Map(nb.values);
  let outcome: CellOutcome | undefined;
  const outs = stages.trackedOutputs(node, nb.facts.analyze(code).kinds);
  const result = await stages.executeStage(
    { name, codeHash: nb.facts.codeHash(code, modules), seed: nb.seed, params: node.params, inputs: node.inputs, gates: args.gates, noCache: req.options.noCache || args.noCache },
    {
      store: nb.store,
      codecs: nb.mods.codecs,
      runId: nb.runId,
      params: nb.params,
      sources: nb.values,
      valueOf: (n) => executor.scope[n],
      display: (d, id) => io.display(d, id),
      async run() {
        outcome = await executor.run(code, { label: req.label, signal: req.signal, typeCheck: req.options.typeCheck });
        const declarations = await executor.declarations(code);
        // What a restore re-runs, derived and stripped now: a fresh kernel restoring this stage finds it in the
        // facts and the kept strips, and needs neither TypeScript nor swc.
        executor.keepStripped(nb.facts.declarationsOnly(code));
        return { status: outcome.status, ...(outcome.error ? { error: outcome.error } : {}), values: Object.fromEntries(outs.map((n) => [n, executor.scope[n]])), ...(outcome.result ? { result: outcome.result } : {}), ...(declarations ? { declarations } : {}) };
      },
      async install(values, _kept, declarations) {
        // Imports, functions and classes are code: run them; the variables come from the store.
        await executor.learn(code, declarations);
        outcome = await executor.run(nb.facts.declarationsOnly(code), { label: req.label, signal: req.signal, typeCheck: "off" });
        if (outcome.status === "ok") for (const [k, v] of Object.entries(values)) executor.scope[k] = v;
        return { status: outcome.status, ...(outcome.error ? { error: outcome.error } : {}) };
      },
    },
  );
  // A stage that changed an upstream value in place leaves that value unlike its stored one: the owner must run (or restore) again.
  for (const m of result.mutated) nb.values.delete(m.name);
  if (result.mutated.length) nb.states = stages.markStale(graph, result.mutated.map((m) => m.stage), nb.states);

  const summary = { durationMs: result.durationMs, outputs: result.outputs.map(outputSummary), metrics: result.metrics };
  if (result.status === "cached") {
    nb.states = stages.markFinished(graph, name, { status: "cached" }, nb.states);
    nb.info.set(name, { state: "cached", cached: true, ...summary });
    io.stream("stdout", `${result.message}\n`);
    report({ state: "cached", cached: true, message: result.message, durationMs: result.durationMs });
    const base = outcome ?? { status: "ok" as const, declared: [], warnings: [] };
    return { ...base, declared: node.defs, ...(result.result ? { result: result.result } : {}) };
  }
  const ok = result.status === "ok";
  nb.states = stages.markFinished(graph, name, { status: ok ? "ok" : "failed", outputsChanged: stages.outputsChanged(before, nb.values, outs) }, nb.states);
  nb.info.set(name, { state: ok ? "fresh" : "failed", cached: false, ...summary, ...(result.error ? { error: result.error.message } : {}) });
  if (result.notCached) io.stream("stderr", `${result.notCached}\n`);
  report({ state: ok ? "fresh" : "failed", cached: false, durationMs: result.durationMs, mutationCheckMs: result.mutationCheckMs, ...(result.notCached ? { message: result.notCached } : {}) });
  const base: CellOutcome = outcome ?? { status: "error", declared: [], warnings: [] };
  if (ok || (base.status === result.status && base.error)) return base;
  // A failed gate (cached or not) or a changed upstream value fails a cell whose code ran fine.
  return { ...base, status: result.status === "interrupted" ? "interrupted" : "error", error: result.error, result: undefined };
}

function outputSummary(o: { name: string; kind: string; shape: string; reason?: string }) {
  return { name: o.name, kind: o.kind, shape: o.shape, ...(o.reason ? { reason: o.reason } : {}) };
}

