// The ambient run context that library verbs report to: display, metrics, params, seeded randomness.
//
// kernel/ml knows nothing of notebooks. The kernel (or an exported script's stage runner)
// installs a context while a stage runs; outside of one, the defaults below print to the
// console and use an unseeded generator, so the library also works in a plain Node script.

/** A mime bundle (mime type -> data). */
export type Mime = Record<string, unknown>;

export interface RunContext {
  /** Show rich output; a repeated displayId replaces the earlier output in place. */
  display(data: Mime, displayId?: string): void;
  /** Record a metric of the current stage run. */
  metric(name: string, value: number): void;
  /** Record a param of the current stage run. */
  param(name: string, value: unknown): void;
  /** Uniform [0, 1) from the stage's seeded generator. */
  random(): number;
  /** A 32-bit integer seed derived from the stage's seed, for tfjs initialisers and shuffles. */
  seed(): number;
  /** Name of the running stage, if any. */
  stage?: string;
  /** Aborted when the user interrupts the run: long verbs (tune's pool threads) stop at it. */
  signal?: AbortSignal;
}

const fallback: RunContext = {
  display(data) {
    const text = data["text/plain"];
    if (typeof text === "string") console.log(text);
  },
  metric(name, value) {
    console.log(`metric ${name}=${value}`);
  },
  param() {},
  random: () => Math.random(),
  seed: () => Math.floor(Math.random() * 2 ** 31),
};

let current: RunContext = fallback;

/** The context of the running stage (or the console fallback). */
export function context(): RunContext {
  return current;
}

/** Install a context for the duration of `fn` (the kernel and the stage runner call this). */
export async function withContext<T>(ctx: RunContext, fn: () => Promise<T>): Promise<T> {
  const previous = current;
  current = ctx;
  try {
    return await fn();
  } finally {
    current = previous;
  }
}

/** Install a context until replaced (for the kernel, which runs one cell at a time). */
export function setContext(ctx: RunContext | undefined): void {
  current = ctx ?? fallback;
}

/** Deterministic 32-bit hash of a string (FNV-1a), used to derive per-stage seeds. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a small, fast, seedable PRNG returning uniform [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The generator a stage gets: seeded from (seed, stage name), as DESIGN.md prescribes. */
export function stageRandom(seed: number, stage: string): () => number {
  return mulberry32(hashString(`${seed}:${stage}`));
}
