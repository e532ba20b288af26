// Stage cache building blocks for the stage executor: a stage's key, the cache lookup, recording an execution or a restore.
import { formatTime } from "./format.js";
import { paramsHash } from "./keys.js";
import type { CodecRegistry } from "./codecs/registry.js";
import type { Encoding } from "./codecs/types.js";
import type { RunStore } from "./store/store.js";
import { encodeOutput } from "./store/outputs.js";
import type { CacheHit, Metric, OutputRecord, RecordedDisplay, StageRunInput } from "./store/types.js";

/** Where a value in the kernel came from: its content hash and the stage run that produced it. */
export interface ValueSource {
  hash: string;
  stage: string;
  stageRunId?: number;
}

/** Everything that decides whether a stored execution of a stage can stand in for running it. */
export interface StageKey {
  stage: string;
  codeHash: string;
  paramsHash: string;
  seed: number;
  /** Values of the notebook params the stage reads. */
  params: Record<string, unknown>;
  inputs: StageRunInput[];
  /** Why this stage cannot be cached this time (an input with no stored hash), if so. */
  uncacheable?: string;
}

/** What a stage's key is made of besides values: its name, the params it reads and its inputs (a `StageNode` fits). */
export interface KeyedStage {
  name: string;
  params: readonly string[];
  inputs: readonly { name: string; stage: string }[];
}

/**
 * The cache key of a stage about to run. `codeHash` is `codeHash(code)` of the cell's code with
 * magics removed (exported scripts carry it precomputed); `params` all notebook param values
 * (only those the stage reads count); `values` the source of every value held (kept up to date
 * from `recordExecution` / `restoreFromCache`).
 */
export function stageKey(node: KeyedStage, codeHash: string, options: { params: Record<string, unknown>; seed: number; values: ReadonlyMap<string, ValueSource> }): StageKey {
  const params = Object.fromEntries(node.params.filter((p) => p in options.params).map((p) => [p, options.params[p]]));
  const inputs: StageRunInput[] = [];
  let uncacheable: string | undefined;
  for (const input of node.inputs) {
    const source = options.values.get(input.name);
    if (!source || source.stage !== input.stage) {
      uncacheable ??= `input "${input.name}" from stage "${input.stage}" has no stored value (run "${input.stage}" first)`;
      continue;
    }
    inputs.push({ name: input.name, hash: source.hash, fromStage: source.stage, ...(source.stageRunId ? { fromStageRunId: source.stageRunId } : {}) });
  }
  return { stage: node.name, codeHash, paramsHash: paramsHash(params), seed: options.seed, params, inputs, ...(uncacheable ? { uncacheable } : {}) };
}

/** The stored execution to restore instead of running, or why there is none. */
export function lookupCache(store: RunStore, key: StageKey, options: { noCache?: boolean } = {}): { hit: CacheHit } | { hit?: undefined; reason: string } {
  if (options.noCache) return { reason: "cache bypassed (--no-cache)" };
  if (key.uncacheable) return { reason: key.uncacheable };
  const hit = store.findCached(key.stage, key.codeHash, key.paramsHash, key.seed, Object.fromEntries(key.inputs.map((i) => [i.name, i.hash])));
  return hit ? { hit } : { reason: "no stored run with this code, params, seed and inputs" };
}

/** The names a stage stores as outputs: its variables (imports, functions and classes are code, re-run on restore). */
export function trackedOutputs(node: { defs: readonly string[] }, kinds: Record<string, string>): string[] {
  return node.defs.filter((d) => (kinds[d] ?? "variable") === "variable");
}

export interface ExecutionResult {
  runId: number;
  /** Output name -> value, for the names `trackedOutputs` gives (omit on failure). */
  values: Record<string, unknown>;
  status: "ok" | "error";
  error?: string;
  durationMs: number;
  startedAt?: number;
  metrics?: Metric[];
  loggedParams?: Record<string, unknown>;
  /** What the stage showed (ok runs): replayed when this execution is restored. */
  displays?: RecordedDisplay[];
  /** The type declarations the stage's code made (the kernel's checker), for restores. */
  declarations?: [string, string][];
}

/**
 * Encode a finished stage's outputs, write them to the store and record the execution.
 * Returns the stored outputs and the new value sources (opaque outputs get none: stages
 * reading them cannot be cached).
 */
export async function recordExecution(store: RunStore, codecs: CodecRegistry, key: StageKey, result: ExecutionResult): Promise<{ stageRunId: number; outputs: OutputRecord[]; sources: Map<string, ValueSource> }> {
  const encoded: Record<string, Encoding> = {};
  if (result.status === "ok") for (const [name, value] of Object.entries(result.values)) encoded[name] = await encodeOutput(store.blobs, codecs, value);
  const { stageRunId, outputs } = store.recordStageRun({
    runId: result.runId,
    stage: key.stage,
    codeHash: key.codeHash,
    paramsHash: key.paramsHash,
    seed: key.seed,
    inputs: key.inputs,
    outputs: encoded,
    status: result.status,
    ...(result.error !== undefined ? { error: result.error } : {}),
    ...(result.startedAt !== undefined ? { startedAt: result.startedAt } : {}),
    durationMs: result.durationMs,
    params: key.params,
    ...(result.loggedParams ? { loggedParams: result.loggedParams } : {}),
    ...(result.metrics ? { metrics: result.metrics } : {}),
    ...(result.displays?.length ? { displays: result.displays } : {}),
    ...(result.declarations ? { declarations: result.declarations } : {}),
  });
  return { stageRunId, outputs, sources: sourcesOf(key.stage, stageRunId, outputs) };
}

/**
 * Load a cache hit's values and record the restore as a "cached" stage run of `runId`. The
 * caller assigns `values` in the kernel (after running `declarationsOnly(code)`). Outputs the
 * kernel already holds with the same hash (`current`, e.g. a no-op re-run in one session) are
 * not read again: they are listed in `kept` and left out of `values`.
 */
export async function restoreFromCache(
  store: RunStore,
  key: StageKey,
  hit: CacheHit,
  options: { runId: number; clock?: () => number; current?: ReadonlyMap<string, ValueSource> },
): Promise<{ values: Record<string, unknown>; kept: string[]; stageRunId: number; sources: Map<string, ValueSource>; message: string }> {
  const clock = options.clock ?? Date.now;
  const started = clock();
  const kept = hit.outputs.filter((o) => o.hash !== undefined && options.current?.get(o.name)?.hash === o.hash).map((o) => o.name);
  const values = await store.loadOutputs(hit.outputs.filter((o) => !kept.includes(o.name)));
  const durationMs = clock() - started;
  const { stageRunId } = store.recordStageRun({
    runId: options.runId,
    stage: key.stage,
    codeHash: key.codeHash,
    paramsHash: key.paramsHash,
    seed: key.seed,
    inputs: key.inputs,
    outputs: Object.fromEntries(hit.outputs.map((o) => [o.name, o])),
    status: "cached",
    durationMs,
    params: key.params,
    loggedParams: hit.loggedParams,
    metrics: hit.metrics,
    cachedFrom: hit.stageRunId,
  });
  // Downstream keys keep pointing at the original execution, so they match the stored ones.
  return { values, kept, stageRunId, sources: sourcesOf(key.stage, hit.stageRunId, hit.outputs), message: cachedMessage(hit, durationMs) };
}

/** "cached: from run 3 at 2026-11-26 09:01:05, saved 12.3 s" (local time; restore time subtracted when given). */
export function cachedMessage(hit: CacheHit, restoreMs = 0): string {
  const at = formatTime(hit.startedAt);
  const saved = Math.max(0, hit.durationMs - restoreMs) / 1000;
  return `cached: from run ${hit.runId} at ${at}, saved ${saved < 10 ? saved.toFixed(1) : Math.round(saved)} s`;
}

/** Whether any output's hash differs from the values the kernel held before (then descendants go stale). */
export function outputsChanged(before: ReadonlyMap<string, ValueSource>, after: ReadonlyMap<string, ValueSource>, names: readonly string[]): boolean {
  return names.some((n) => before.get(n)?.hash !== after.get(n)?.hash);
}

function sourcesOf(stage: string, stageRunId: number, outputs: readonly OutputRecord[]): Map<string, ValueSource> {
  const sources = new Map<string, ValueSource>();
  for (const o of outputs) if (o.hash) sources.set(o.name, { hash: o.hash, stage, stageRunId });
  return sources;
}
