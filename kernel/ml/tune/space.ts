// Parameter spaces for tuning: full grids of value lists, and seeded samples from lists or distributions.

/** A distribution to sample a numeric parameter from (randomSearch only). */
export type Distribution = { uniform: [number, number] } | { logUniform: [number, number] } | { int: [number, number] };

/** Parameter name -> candidate values (a list), or a distribution for randomSearch. */
export type Space = Record<string, readonly unknown[] | Distribution>;

export type Params = Record<string, unknown>;

function checkList(name: string, values: readonly unknown[], verb: string): void {
  if (values.length === 0) throw new Error(`${verb}: parameter "${name}" has no values`);
}

/** Every combination of the lists, in scikit-learn's ParameterGrid order (keys sorted, last varies fastest). */
export function grid(space: Space, verb = "tune.gridSearch"): Params[] {
  const keys = Object.keys(space).sort();
  if (keys.length === 0) throw new Error(`${verb}: the parameter space is empty`);
  for (const k of keys) {
    const v = space[k];
    if (!Array.isArray(v)) throw new Error(`${verb}: parameter "${k}" must be a list of values (distributions are for tune.randomSearch)`);
    checkList(k, v, verb);
  }
  let out: Params[] = [{}];
  for (const k of keys) {
    const values = space[k] as readonly unknown[];
    out = out.flatMap((p) => values.map((v) => ({ ...p, [k]: v })));
  }
  return out;
}

/**
 * `n` parameter sets drawn with `random`: when every parameter is a list, n distinct grid points
 * (the whole grid if n is larger, like scikit-learn's ParameterSampler); otherwise independent draws.
 */
export function sample(space: Space, n: number, random: () => number, verb = "tune.randomSearch"): Params[] {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${verb}: n must be a positive integer, got ${n}`);
  const keys = Object.keys(space).sort();
  if (keys.length === 0) throw new Error(`${verb}: the parameter space is empty`);
  if (keys.every((k) => Array.isArray(space[k]))) {
    const all = grid(space, verb);
    if (n >= all.length) return all;
    // partial Fisher-Yates: the first n of a seeded permutation
    const idx = all.map((_, i) => i);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(random() * (idx.length - i));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    return idx.slice(0, n).map((i) => all[i]);
  }
  return Array.from({ length: n }, () => {
    const p: Params = {};
    for (const k of keys) p[k] = draw(k, space[k], random, verb);
    return p;
  });
}

function draw(name: string, spec: readonly unknown[] | Distribution, random: () => number, verb: string): unknown {
  if (Array.isArray(spec)) {
    checkList(name, spec, verb);
    return spec[Math.floor(random() * spec.length)];
  }
  const d = spec as Distribution;
  if ("uniform" in d) { const [a, b] = d.uniform; return a + (b - a) * random(); }
  if ("logUniform" in d) {
    const [a, b] = d.logUniform;
    if (!(a > 0 && b > 0)) throw new Error(`${verb}: logUniform bounds of "${name}" must be > 0`);
    return Math.exp(Math.log(a) + (Math.log(b) - Math.log(a)) * random());
  }
  if ("int" in d) { const [a, b] = d.int; return a + Math.floor(random() * (b - a + 1)); }
  throw new Error(`${verb}: parameter "${name}" must be a list or { uniform | logUniform | int: [low, high] }`);
}
