// The per-stage run context shared by the kernel and exported pipeline scripts: seeded randomness, metrics.
//
// Both sides must draw the same random numbers for a stage, or the exported script cannot
// reproduce the notebook hash for hash: this is the one place that decides them.
import { hashString, mulberry32, stageRandom, type Mime, type RunContext } from "../ml/context.js";
import type { Metric } from "./store/types.js";

export interface StageRunContext extends RunContext {
  readonly metrics: Metric[];
  readonly loggedParams: Record<string, unknown>;
}

/**
 * The context a stage runs in: `random()` from (seed, stage), `seed()` a separate seeded stream
 * of 31-bit integers (for tfjs initialisers and shuffles), metrics and params collected.
 */
export function stageContext(options: { seed: number; stage: string; display: (data: Mime, displayId?: string) => void; signal?: AbortSignal }): StageRunContext {
  const random = stageRandom(options.seed, options.stage);
  const seeds = mulberry32(hashString(`${options.seed}:${options.stage}:seeds`));
  const metrics: Metric[] = [];
  const loggedParams: Record<string, unknown> = {};
  return {
    stage: options.stage,
    metrics,
    loggedParams,
    display: options.display,
    signal: options.signal,
    metric(name, value) {
      metrics.push({ name, value });
    },
    param(name, value) {
      loggedParams[name] = value;
    },
    random,
    seed: () => Math.floor(seeds() * 2 ** 31),
  };
}

/** The last value logged for each metric name. */
export function lastMetrics(metrics: readonly Metric[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of metrics) out[m.name] = m.value;
  return out;
}

/**
 * Run `fn` with `Math.random` drawing from the stage's generator, so user code that calls
 * Math.random is reproducible too. Restored afterwards, whatever happens.
 */
export async function withSeededMath<T>(random: () => number, fn: () => Promise<T>): Promise<T> {
  const original = Math.random;
  Math.random = random;
  try {
    return await fn();
  } finally {
    Math.random = original;
  }
}
