// Runs one cell as the notebook's pipeline sees it: magics, then a plain run, a params cell or a stage.
import { dirname } from "node:path";
import type { CellOutcome, Executor } from "../exec/executor.js";
import { localModulesHash } from "../exec/localModules.js";
import { withContext, type Mime } from "../ml/context.js";
import type { ExecuteOptions } from "../protocol.js";
import { lastMetrics, stageContext, withSeededMath } from "../stages/runContext.js";
import { runLineMagic } from "./lineMagics.js";
import { instrumentTimedLines, wallTime } from "../exec/timeLine.js";
import type { KnownCell, NotebookState } from "./notebook.js";

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
}

const failed = (name: string, message: string, line?: number, column?: number): CellOutcome => ({ status: "error", error: { name, message, line, column }, declared: [], warnings: [] });

/** Run a cell whose source the notebook state already holds (`nb.setCell` first). */
export async function runCell(nb: NotebookState, executor: Executor, cell: KnownCell, req: CellRequest, io: CellIO): Promise<CellOutcome> {
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
      const { params } = magics.extractParams(code);
      const applied = magics.applyParamOverrides(params, req.options.params ?? {});
      if (!applied.ok) return failed("ParamError", applied.errors.join("\n"));
      const changed = Object.keys(applied.values).filter((k) => JSON.stringify(nb.params[k]) !== JSON.stringify(applied.values[k]));
      nb.params = { ...applied.values };
      code = magics.substituteParams(code, params, applied.values);
      // Stages reading a changed param are stale.
      const readers = [...nb.graph.stages.values()].filter((s) => s.params.some((p) => changed.includes(p))).map((s) => s.name);
      if (readers.length) nb.states = nb.mods.stages.markStale(nb.graph, readers, nb.states);
    }
    if (magics.isMagic(cellMagic, "cell", "time")) timeIt = true;
    outcome = await executor.run(code, { label: req.label, typeCheck: req.options.typeCheck });
  }
  if (timeIt) io.stream("stdout", `${wallTime(performance.now() - started)}\n`);
  return outcome;
}

type StageArgs = { stage: string; needs: string[]; noCache: boolean; gates: import("../magics/index.js").Gate[] };

async function runStage(nb: NotebookState, executor: Executor, cell: KnownCell, code: string, args: StageArgs, req: CellRequest, io: CellIO): Promise<CellOutcome> {
  const { stages, magics, codecs } = nb.mods;
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
  const key = stages.stageKey(node, code, { params: nb.params, seed: nb.seed, values: nb.values, modules });
  const found = stages.lookupCache(nb.store, key, { noCache: req.options.noCache || args.noCache });

  if (found.hit) {
    const restored = await stages.restoreFromCache(nb.store, key, found.hit, { runId: nb.runId, current: nb.values });
    // Imports, functions and classes are code: run them; the variables come from the store.
    await executor.learn(code);
    const outcome = await executor.run(stages.declarationsOnly(code), { label: req.label, typeCheck: "off" });
    if (outcome.status !== "ok") return outcome;
    for (const [k, v] of Object.entries(restored.values)) executor.scope[k] = v;
    restored.sources.forEach((s, n) => nb.values.set(n, s));
    nb.states = stages.markFinished(graph, name, { status: "cached" }, nb.states);
    nb.info.set(name, { state: "cached", cached: true, durationMs: found.hit.durationMs, outputs: found.hit.outputs.map(outputSummary), metrics: lastMetrics(found.hit.metrics ?? []) });
    io.stream("stdout", `${restored.message}\n`);
    report({ state: "cached", cached: true, message: restored.message, durationMs: found.hit.durationMs });
    return { ...outcome, declared: node.defs };
  }

  const ctx = stageContext({ seed: nb.seed, stage: name, display: (d, id) => io.display(d, id) });
  const started = Date.now();
  // The cell's own context is back afterwards (displays from its timers still reach the cell).
  let outcome = await withContext(ctx, () => withSeededMath(ctx.random, () => executor.run(code, { label: req.label, typeCheck: req.options.typeCheck })));
  const durationMs = Date.now() - started;
  if (outcome.status === "ok" && args.gates.length) {
    const failures = magics.checkGates(args.gates, lastMetrics(ctx.metrics));
    if (failures.length) outcome = { ...outcome, status: "error", error: { name: "GateError", message: `stage ${name}: ${failures.join("; ")}` } };
  }
  const ok = outcome.status === "ok";
  const outs = stages.trackedOutputs(node, stages.analyzeCell(code).kinds);
  const values = ok ? Object.fromEntries(outs.map((n) => [n, executor.scope[n]])) : {};
  const before = new Map(nb.values);
  const rec = await stages.recordExecution(nb.store, codecs, key, {
    runId: nb.runId,
    values,
    status: ok ? "ok" : "error",
    ...(outcome.error ? { error: `${outcome.error.name}: ${outcome.error.message}` } : {}),
    durationMs,
    startedAt: started,
    metrics: ctx.metrics,
    loggedParams: ctx.loggedParams,
  });
  rec.sources.forEach((s, n) => nb.values.set(n, s));
  nb.states = stages.markFinished(graph, name, { status: ok ? "ok" : "failed", outputsChanged: stages.outputsChanged(before, nb.values, outs) }, nb.states);
  const opaque = rec.outputs.filter((o) => o.kind === "opaque");
  nb.info.set(name, { state: ok ? "fresh" : "failed", cached: false, durationMs, outputs: rec.outputs.map(outputSummary), metrics: lastMetrics(ctx.metrics), ...(outcome.error ? { error: outcome.error.message } : {}) });
  const notCached = opaque.length ? `not cacheable: ${opaque.map((o) => `${o.name} is opaque (${o.reason})`).join("; ")}` : undefined;
  if (notCached && ok) io.stream("stderr", `${notCached}\n`);
  report({ state: ok ? "fresh" : "failed", cached: false, durationMs, ...(notCached ? { message: notCached } : {}) });
  return outcome;
}

function outputSummary(o: { name: string; kind: string; shape: string; reason?: string }) {
  return { name: o.name, kind: o.kind, shape: o.shape, ...(o.reason ? { reason: o.reason } : {}) };
}

