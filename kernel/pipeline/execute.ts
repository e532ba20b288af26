// Runs a pipeline's stages as the kernel does: per-stage seeded context, outputs encoded and recorded, gates, --verify.
import { formatDuration } from "../text/duration.js";
import { setContext, type Mime } from "../ml/context.js";
import { checkGates, parseGate } from "../magics/stage.js";
import type { Gate } from "../magics/types.js";
import { paramsHash } from "../stages/keys.js";
import { lastMetrics, stageContext, withSeededMath } from "../stages/runContext.js";
import type { CodecRegistry } from "../stages/codecs/registry.js";
import type { Encoding } from "../stages/codecs/types.js";
import type { RunStore } from "../stages/store/store.js";
import type { StageRunInput } from "../stages/store/types.js";
import type { PipelineLock, PipelineStage } from "./types.js";

/** A value the run holds: where it came from and its hash (none for code and opaque values). */
interface Held {
  value: unknown;
  stage: string;
  hash?: string;
  stageRunId?: number;
}

export interface ExecuteOptions {
  stages: PipelineStage[];
  /** Stage names to run. */
  selected: string[];
  /** Stage names outside the selection whose outputs are needed: restored from the store, else run. */
  upstream: string[];
  params: Record<string, unknown>;
  store: RunStore;
  runId: number;
  codecs: CodecRegistry;
  /** With --verify: the lock whose expected hashes each output must equal. */
  verify?: PipelineLock;
  log: (line: string) => void;
  /** The running stage's name is published here (for the file-read recorder). */
  onStage?: (name: string | undefined) => void;
}

export interface ExecuteResult {
  ok: boolean;
  /** What failed: "stage train failed: ...", "verify failed: ...". */
  failure?: string;
  metrics: Record<string, Record<string, number>>;
  verified: number;
}

/** Run the selected stages (and what they need) in pipeline order. */
export async function executeStages(o: ExecuteOptions): Promise<ExecuteResult> {
  const held = new Map<string, Held>();
  const metrics: Record<string, Record<string, number>> = {};
  let verified = 0;
  for (const stage of o.stages) {
    const isSelected = o.selected.includes(stage.name);
    if (!isSelected && !o.upstream.includes(stage.name)) continue;
    const args: Record<string, unknown> = {};
    const inputs: StageRunInput[] = [];
    let hashedInputs = true;
    for (const [name, from] of Object.entries(stage.inputs)) {
      const h = held.get(name);
      if (!h || h.stage !== from) return { ok: false, failure: `stage ${stage.name}: input "${name}" from stage "${from}" is not available`, metrics, verified };
      args[name] = h.value;
      if (h.hash) inputs.push({ name, hash: h.hash, fromStage: h.stage, ...(h.stageRunId ? { fromStageRunId: h.stageRunId } : {}) });
      else hashedInputs = false;
    }
    const readParams = Object.fromEntries(stage.params.map((p) => [p, o.params[p]]));
    Object.assign(args, readParams);
    const pHash = paramsHash(readParams);

    if (!isSelected && hashedInputs && stage.outputs.length === stage.tracked.length) {
      const hit = o.store.findCached(stage.name, stage.codeHash, pHash, stage.seed, Object.fromEntries(inputs.map((i) => [i.name, i.hash])));
      if (hit) {
        // Decoding a model builds tfjs layers: the backend must be ready first, as the library makes it.
        if (hit.outputs.some((out) => /model/.test(out.kind))) await (await import("../ml/tf.js")).initTf();
        const values = await o.store.loadOutputs(hit.outputs);
        for (const out of hit.outputs) held.set(out.name, { value: values[out.name], stage: stage.name, ...(out.hash ? { hash: out.hash } : {}), stageRunId: hit.stageRunId });
        o.log(`${stage.name}: outputs restored from run ${hit.runId} (not selected)`);
        continue;
      }
      o.log(`${stage.name}: not selected, but no stored outputs match its code, params, seed and inputs: running it`);
    } else if (!isSelected) {
      o.log(`${stage.name}: not selected, but its outputs cannot be restored (it returns code, or reads unhashed values): running it`);
    }

    const displays: Mime[] = [];
    const ctx = stageContext({ seed: stage.seed, stage: stage.name, display: (data, id) => id === undefined && displays.push(data) });
    const startedAt = Date.now();
    const t0 = performance.now();
    let result: Record<string, unknown> | undefined;
    let error: unknown;
    o.onStage?.(stage.name);
    setContext(ctx);
    try {
      result = await withSeededMath(ctx.random, () => stage.run(args));
    } catch (e) {
      error = e;
    } finally {
      setContext(undefined);
      o.onStage?.(undefined);
    }
    const durationMs = performance.now() - t0;
    for (const d of displays) if (typeof d["text/plain"] === "string") o.log(indent(d["text/plain"] as string));
    if (!error && result) {
      const missing = stage.outputs.filter((n) => !(n in result!));
      if (missing.length) error = new Error(`returned no ${missing.map((m) => `"${m}"`).join(", ")}`);
    }
    const encoded: Record<string, Encoding> = {};
    if (!error) for (const name of stage.tracked) encoded[name] = await o.codecs.encode(result![name]);
    const errorText = error ? (error instanceof Error ? `${error.name}: ${error.message}` : String(error)) : undefined;
    const { stageRunId, outputs } = o.store.recordStageRun({
      runId: o.runId,
      stage: stage.name,
      codeHash: stage.codeHash,
      paramsHash: pHash,
      seed: stage.seed,
      inputs,
      outputs: encoded,
      status: error ? "error" : "ok",
      ...(errorText ? { error: errorText } : {}),
      startedAt,
      durationMs,
      params: readParams,
      loggedParams: ctx.loggedParams,
      metrics: ctx.metrics,
    });
    if (error) {
      const stack = error instanceof Error && error.stack ? `\n${indent(error.stack.split("\n").slice(1, 6).join("\n"))}` : "";
      return { ok: false, failure: `stage ${stage.name} (cell ${stage.cell}) failed: ${errorText}${stack}`, metrics, verified };
    }
    for (const name of stage.outputs) held.set(name, { value: result![name], stage: stage.name, stageRunId });
    for (const out of outputs) if (out.hash) held.get(out.name)!.hash = out.hash;
    const last = lastMetrics(ctx.metrics);
    if (Object.keys(last).length) metrics[stage.name] = last;
    const shown = outputs.map((out) => `${out.name} ${out.shape}${out.hash ? ` ${out.hash.slice(0, 12)}` : " (opaque: not hashed)"}`);
    o.log(`${stage.name}: ran in ${formatDuration(durationMs)}${shown.length ? `; ${shown.join(", ")}` : ""}`);
    for (const [k, v] of Object.entries(last)) o.log(`  metric ${k} = ${v}`);

    const gates = stage.gates.map((g) => parseGate(g)).filter((g): g is Gate => !!g);
    const failures = checkGates(gates, last);
    if (failures.length) return { ok: false, failure: `stage ${stage.name}: ${failures.join("; ")}`, metrics, verified };

    if (o.verify && isSelected) {
      const expected = o.verify.stages[stage.name]?.outputs ?? {};
      for (const out of outputs) {
        const want = expected[out.name];
        if (!want?.hash) continue;
        if (want.hash !== out.hash) {
          return { ok: false, failure: `verify failed: stage ${stage.name}, output ${out.name}: lock ${want.hash}, now ${out.hash ?? `opaque (${out.reason})`}`, metrics, verified };
        }
        verified++;
      }
    }
  }
  return { ok: true, metrics, verified };
}

function indent(text: string): string {
  return text.split("\n").map((l) => `  ${l}`).join("\n");
}

