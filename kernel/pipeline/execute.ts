// Runs a pipeline's stages through the stage executor the kernel uses (seed, context, cache, gates, record), then --verify.
import { parseGate } from "../magics/stage.js";
import { formatDuration } from "../text/duration.js";
import type { Gate } from "../magics/types.js";
import type { ValueSource } from "../stages/cache.js";
import type { CodecRegistry } from "../stages/codecs/registry.js";
import { executeStage } from "../stages/executor.js";
import type { RunStore } from "../stages/store/store.js";
import type { PipelineLock, PipelineStage } from "./types.js";

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

/** Run the selected stages (and what they need) in pipeline order, each through the one stage executor. */
export async function executeStages(o: ExecuteOptions): Promise<ExecuteResult> {
  const held = new Map<string, unknown>();
  const sources = new Map<string, ValueSource>();
  const owner = new Map<string, string>();
  const metrics: Record<string, Record<string, number>> = {};
  let verified = 0;
  for (const stage of o.stages) {
    const isSelected = o.selected.includes(stage.name);
    if (!isSelected && !o.upstream.includes(stage.name)) continue;
    const args: Record<string, unknown> = {};
    for (const [name, from] of Object.entries(stage.inputs)) {
      if (owner.get(name) !== from) return { ok: false, failure: `stage ${stage.name}: input "${name}" from stage "${from}" is not available`, metrics, verified };
      args[name] = held.get(name);
    }
    for (const p of stage.params) args[p] = o.params[p];
    const inputs = Object.entries(stage.inputs).map(([name, from]) => ({ name, stage: from }));
    const gates = stage.gates.map((g) => parseGate(g)).filter((g): g is Gate => !!g);

    o.onStage?.(stage.name);
    let thrown: unknown;
    const result = await executeStage(
      { name: stage.name, codeHash: stage.codeHash, seed: stage.seed, params: stage.params, inputs, gates, noCache: isSelected || stage.outputs.length !== stage.tracked.length },
      {
        store: o.store,
        codecs: o.codecs,
        runId: o.runId,
        params: o.params,
        sources,
        valueOf: (name) => held.get(name),
        display: (data, id) => {
          if (id === undefined && typeof data["text/plain"] === "string") o.log(indent(data["text/plain"]));
        },
        async run() {
          let out: Record<string, unknown>;
          try {
            out = await stage.run(args);
          } catch (e) {
            thrown = e;
            return { status: "error", error: e instanceof Error ? { name: e.name, message: e.message } : { name: "Error", message: String(e) } };
          }
          const missing = stage.outputs.filter((n) => !(n in out));
          if (missing.length) return { status: "error", error: { name: "Error", message: `returned no ${missing.map((m) => `"${m}"`).join(", ")}` } };
          for (const name of stage.outputs) {
            held.set(name, out[name]);
            owner.set(name, stage.name);
          }
          return { status: "ok", values: Object.fromEntries(stage.tracked.map((n) => [n, out[n]])) };
        },
        async install(values) {
          for (const [name, value] of Object.entries(values)) {
            held.set(name, value);
            owner.set(name, stage.name);
          }
          return { status: "ok" };
        },
      },
    ).finally(() => o.onStage?.(undefined));

    if (result.status === "cached") {
      o.log(`${stage.name}: outputs restored from run ${result.hit!.runId} (not selected)`);
      continue;
    }
    if (!isSelected) o.log(`${stage.name}: not selected, but ${result.key.uncacheable ? "its outputs cannot be restored (it returns code, or reads unhashed values)" : "no stored outputs match its code, params, seed and inputs"}: ran it`);
    if (result.status !== "ok") {
      const errorText = result.error ? `${result.error.name}: ${result.error.message}` : result.status;
      const stack = thrown instanceof Error && thrown.stack ? `\n${indent(thrown.stack.split("\n").slice(1, 6).join("\n"))}` : "";
      return { ok: false, failure: `stage ${stage.name} (cell ${stage.cell}) failed: ${errorText}${stack}`, metrics, verified };
    }
    const last = result.metrics;
    if (Object.keys(last).length) metrics[stage.name] = last;
    const shown = result.outputs.map((out) => `${out.name} ${out.shape}${out.hash ? ` ${out.hash.slice(0, 12)}` : " (opaque: not hashed)"}`);
    o.log(`${stage.name}: ran in ${formatDuration(result.durationMs)}${shown.length ? `; ${shown.join(", ")}` : ""}`);
    for (const [k, v] of Object.entries(last)) o.log(`  metric ${k} = ${v}`);

    if (o.verify && isSelected) {
      const expected = o.verify.stages[stage.name]?.outputs ?? {};
      for (const out of result.outputs) {
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

