// The one stage executor: key, cache lookup, restore, run under the stage's seed and context, gates, mutation check, record.
//
// The kernel session (a `%%stage` cell) and exported pipeline scripts (a stage function) both
// run stages here; what differs between them (how the code runs, where values live) is the host
// they pass. A promise kept here holds on every path: gates are checked on a cache hit too, a
// failed gate is recorded as a failure, and a hit replays what the stage showed.
import { context, withContext, type Mime } from "../ml/context.js";
import { checkGates } from "../magics/stage.js";
import type { Gate } from "../magics/types.js";
import { lookupCache, recordExecution, restoreFromCache, stageKey, type StageKey, type ValueSource } from "./cache.js";
import type { CodecRegistry } from "./codecs/registry.js";
import { createDisplayRecorder, replayOf } from "./displays.js";
import { lastMetrics, stageContext, withSeededMath, type StageRunContext } from "./runContext.js";
import type { RunStore } from "./store/store.js";
import { BlobError } from "./store/blobs.js";
import type { CacheHit, OutputRecord } from "./store/types.js";
import { mark } from "../runtime/trace.js";

/** A stage as the executor needs it: identity, key parts, gates. */
export interface StageSpec {
  name: string;
  /** `codeHash` of the stage's code (magics removed). */
  codeHash: string;
  seed: number;
  /** Notebook params the stage reads. */
  params: readonly string[];
  /** Names the stage reads from other stages, with the stage defining each. */
  inputs: readonly { name: string; stage: string }[];
  gates: readonly Gate[];
  /** Run even when a stored execution matches (`--no-cache`, a selected stage of a script). */
  noCache?: boolean;
}

/** What running a stage's code gave. */
export interface BodyResult {
  status: "ok" | "error" | "interrupted";
  error?: { name: string; message: string };
  /** Tracked output name -> value (on success). */
  values?: Record<string, unknown>;
  /** The cell's rich result (its last expression), recorded with the displays. */
  result?: Mime;
  /** Type declarations the code made (kernel only), recorded so a restore needs no type check. */
  declarations?: [string, string][];
}

/** Where a stage runs: the kernel's scope or a script's held values. */
export interface StageHost {
  store: RunStore;
  codecs: CodecRegistry;
  runId: number;
  /** All notebook param values (the key takes those the stage reads). */
  params: Record<string, unknown>;
  /** Where each held value came from; the executor updates it after a run or a restore. */
  sources: Map<string, ValueSource>;
  /** The value of an input as held now (for the mutation check). */
  valueOf(name: string): unknown;
  display(data: Mime, displayId?: string): void;
  /** Run the stage's code; its context is installed and Math.random seeded around this call. */
  run(ctx: StageRunContext): Promise<BodyResult>;
  /** Put restored values in place (`kept`: outputs already held with the same hash; `declarations` as recorded). */
  install(values: Record<string, unknown>, kept: readonly string[], declarations?: [string, string][]): Promise<BodyResult>;
}

export interface StageResult {
  status: "ok" | "cached" | "error" | "interrupted";
  error?: { name: string; message: string };
  /** What the host's `run` or `install` returned. */
  body?: BodyResult;
  key: StageKey;
  /** The cache hit restored or checked, if any. */
  hit?: CacheHit;
  /** Why the cache was not used (no hit). */
  missReason?: string;
  durationMs: number;
  outputs: OutputRecord[];
  /** Last value of each metric (recorded or, on a hit, restored). */
  metrics: Record<string, number>;
  /** On a hit: "cached: from run 3 at ..., saved 1.2 s". */
  message?: string;
  /** On a hit: the recorded result of the stage, to show as the cell's result. */
  result?: Mime;
  /** Why outputs of a successful run cannot be cached (opaque values). */
  notCached?: string;
  /** Inputs this stage changed in place, with the stage owning each (their held values are no longer the stored ones). */
  mutated: { name: string; stage: string }[];
  /** Time the mutation check took (ms). */
  mutationCheckMs: number;
}

/** Run one stage: restore it when a stored execution matches its key, else run it and record the execution. */
export async function executeStage(spec: StageSpec, host: StageHost): Promise<StageResult> {
  const key = stageKey(spec, spec.codeHash, { params: host.params, seed: spec.seed, values: host.sources });
  const found = lookupCache(host.store, key, { noCache: spec.noCache });
  if (found.hit) return restoreStage(spec, host, key, found.hit);
  return runStage(spec, host, key, found.reason);
}

async function restoreStage(spec: StageSpec, host: StageHost, key: StageKey, hit: CacheHit): Promise<StageResult> {
  const metrics = lastMetrics(hit.metrics);
  const base = { key, hit, metrics, mutated: [], mutationCheckMs: 0 };
  // Gates are checked on every execution: a tightened gate fails a cached stage too.
  const failures = checkGates(spec.gates, metrics);
  if (failures.length) {
    const error = { name: "GateError", message: `stage ${spec.name}: ${failures.join("; ")} (metrics from run ${hit.runId}, restored from the cache)` };
    const { outputs } = host.store.recordStageRun({ runId: host.runId, stage: key.stage, codeHash: key.codeHash, paramsHash: key.paramsHash, seed: key.seed, inputs: key.inputs, outputs: {}, status: "error", error: `${error.name}: ${error.message}`, durationMs: 0, params: key.params, metrics: hit.metrics, cachedFrom: hit.stageRunId });
    return { ...base, status: "error", error, durationMs: 0, outputs };
  }
  // Decoding a model builds tfjs layers: the backend must be ready first, as the library makes it.
  if (hit.outputs.some((o) => /model/.test(o.kind))) await (await import("../ml/tf.js")).initTf();
  let restored;
  try {
    restored = await restoreFromCache(host.store, key, hit, { runId: host.runId, current: host.sources });
  } catch (e) {
    // a stored value lost its bytes (a power loss before they reached the disk): the blob was removed, the stage runs again and rewrites it
    if (!(e instanceof BlobError)) throw e;
    return runStage(spec, host, key, `the stored outputs of run ${hit.runId} could not be read (${e.message})`);
  }
  mark(`stage ${spec.name}: outputs decoded`);
  const body = await host.install(restored.values, restored.kept, hit.declarations);
  mark(`stage ${spec.name}: restored`);
  if (body.status !== "ok") return { ...base, status: body.status, body, ...(body.error ? { error: body.error } : {}), durationMs: hit.durationMs, outputs: hit.outputs };
  restored.sources.forEach((s, n) => host.sources.set(n, s));
  const { shown, result } = replayOf(hit.displays);
  for (const d of shown) host.display(d);
  return { ...base, status: "cached", body, durationMs: hit.durationMs, outputs: hit.outputs, message: restored.message, ...(result ? { result } : {}) };
}

async function runStage(spec: StageSpec, host: StageHost, key: StageKey, missReason: string): Promise<StageResult> {
  const recorder = createDisplayRecorder();
  const ctx = stageContext({
    seed: spec.seed,
    stage: spec.name,
    // The caller's interrupt (the kernel's run) reaches the stage's long verbs.
    signal: context().signal,
    display: (data, id) => {
      recorder.add(data, id);
      host.display(data, id);
    },
  });
  const startedAt = Date.now();
  const t0 = performance.now();
  // The caller's own context is back afterwards (displays from the stage's timers still reach it).
  const body = await withContext(ctx, () => withSeededMath(ctx.random, () => host.run(ctx)));
  const durationMs = performance.now() - t0;
  const metrics = lastMetrics(ctx.metrics);
  let error = body.error;
  let status: StageResult["status"] = body.status;
  if (status === "ok") {
    const failures = checkGates(spec.gates, metrics);
    if (failures.length) {
      status = "error";
      error = { name: "GateError", message: `stage ${spec.name}: ${failures.join("; ")}` };
    }
  }
  const check = status === "ok" ? await changedInputs(spec, host, key) : { mutated: [], messages: [], ms: 0 };
  if (check.mutated.length) {
    status = "error";
    error = { name: "MutationError", message: check.messages.join("\n") };
  }
  const ok = status === "ok";
  const rec = await recordExecution(host.store, host.codecs, key, {
    runId: host.runId,
    values: ok ? (body.values ?? {}) : {},
    status: ok ? "ok" : "error",
    ...(error ? { error: `${error.name}: ${error.message}` } : {}),
    durationMs,
    startedAt,
    metrics: ctx.metrics,
    loggedParams: ctx.loggedParams,
    ...(ok ? { displays: recorder.finish(body.result), ...(body.declarations ? { declarations: body.declarations } : {}) } : {}),
  });
  if (ok) rec.sources.forEach((s, n) => host.sources.set(n, s));
  const opaque = rec.outputs.filter((o) => o.kind === "opaque");
  const notCached = ok && opaque.length ? `not cacheable: ${opaque.map((o) => `${o.name} is opaque (${o.reason})`).join("; ")}` : undefined;
  return { status, ...(error ? { error } : {}), body, key, missReason, durationMs, outputs: rec.outputs, metrics, ...(notCached ? { notCached } : {}), mutated: check.mutated, mutationCheckMs: check.ms };
}

/**
 * Inputs whose value no longer has the hash it had when its stage recorded it: the stage changed
 * a value another stage owns (an array pushed to, a field set). The stored value is still the
 * upstream stage's own: blobs are written when that stage finished.
 */
async function changedInputs(spec: StageSpec, host: StageHost, key: StageKey): Promise<{ mutated: { name: string; stage: string }[]; messages: string[]; ms: number }> {
  const t0 = performance.now();
  const mutated: { name: string; stage: string }[] = [];
  const messages: string[] = [];
  for (const input of key.inputs) {
    const encoded = await host.codecs.encode(host.valueOf(input.name));
    const now = "hash" in encoded ? encoded.hash : undefined;
    if (now === input.hash) continue;
    const owner = input.fromStage ?? spec.inputs.find((i) => i.name === input.name)?.stage ?? "?";
    mutated.push({ name: input.name, stage: owner });
    messages.push(
      `stage ${spec.name} changed "${input.name}", a value owned by stage ${owner} (hash ${input.hash.slice(0, 12)} before, ${now ? now.slice(0, 12) : "not hashable"} after): ` +
        `a stage must not change an upstream value in place; copy it first (structuredClone(${input.name}), [...${input.name}], or a table verb that returns a new table)`,
    );
  }
  return { mutated, messages, ms: performance.now() - t0 };
}
