// The lock of an exported pipeline: inputs with sha256, params, seed, versions, and each stage's expected output hashes.
import type { RunDetail, StageRunDetail } from "../stages/store/types.js";
import type { LockInput, LockStage, PipelineLock } from "../pipeline/types.js";
import type { ExportPlan } from "./plan.js";

/** What the lock is built from besides the plan (gathered from disk and the run store by files.ts). */
export interface LockData {
  notebook: string;
  /** The notebook's folder relative to the lock's folder. */
  notebookDir: string;
  /** The notebook's last successful run, with its stage executions. */
  run?: RunDetail;
  inputs: LockInput[];
  versions: Record<string, string>;
}

/**
 * Build the lock (pure). Each stage's expected outputs come from its latest execution in `run`
 * when that execution ran the same code with the same seed; otherwise the stage is listed
 * without outputs and `unverifiable` says why (so `--verify` can say what to do).
 */
export function buildLock(plan: ExportPlan, data: LockData): { lock: PipelineLock; warnings: string[] } {
  const warnings: string[] = [];
  const latest = new Map<string, StageRunDetail>();
  for (const s of data.run?.stageRuns ?? []) latest.set(s.stage, s);
  const stages: Record<string, LockStage> = {};
  for (const s of plan.stages) {
    const base: LockStage = { codeHash: s.codeHash, seed: s.seed, cell: s.cell };
    const done = latest.get(s.name);
    let why: string | undefined;
    if (!data.run) why = "the notebook has no successful run in its store: run it (mlnb run) and export again";
    else if (!done) why = `run ${data.run.id} did not run stage "${s.name}": run the whole notebook and export again`;
    else if (done.status === "error") why = `stage "${s.name}" failed in run ${data.run.id}: fix it, run the notebook and export again`;
    else if (done.codeHash !== s.codeHash) why = `stage "${s.name}" changed since run ${data.run.id}: run the notebook and export again`;
    else if (done.seed !== s.seed) why = `stage "${s.name}" ran with seed ${done.seed} in run ${data.run.id}, the notebook now says ${s.seed}: run it and export again`;
    if (why || !done) {
      stages[s.name] = { ...base, unverifiable: why! };
      warnings.push(why!);
      continue;
    }
    const outputs: LockStage["outputs"] = {};
    for (const o of done.outputs) {
      if (!s.tracked.includes(o.name)) continue;
      outputs[o.name] = o.hash ? { kind: o.kind, shape: o.shape, hash: o.hash } : { kind: o.kind, shape: o.shape, reason: o.reason ?? "no codec" };
    }
    for (const name of s.tracked) if (!outputs[name]) outputs[name] = { kind: "missing", reason: `run ${data.run!.id} recorded no output "${name}"` };
    const metrics: Record<string, number> = {};
    for (const m of done.metrics) metrics[m.name] = m.value;
    stages[s.name] = { ...base, outputs, ...(done.metrics.length ? { metrics } : {}) };
  }
  const params = data.run ? data.run.params : Object.fromEntries(plan.params.map((p) => [p.name, p.value]));
  const seeds = new Set(plan.stages.map((s) => s.seed));
  const lock: PipelineLock = {
    lockVersion: 1,
    notebook: data.notebook,
    notebookDir: data.notebookDir,
    ...(data.run ? { run: { id: data.run.id, startedAt: new Date(data.run.startedAt).toISOString(), source: data.run.source } } : {}),
    seed: data.run?.seed ?? (seeds.size === 1 ? [...seeds][0]! : plan.stages[0]?.seed ?? 0),
    params,
    versions: data.versions,
    inputs: data.inputs,
    stages,
  };
  return { lock, warnings };
}
