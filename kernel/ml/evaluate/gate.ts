// evaluate.gate: fail the stage when a metric misses its bound ({ f1: ">= 0.8" }); records nothing.

/** Raised by `evaluate.gate`, naming the metric, its value and the bound it missed. */
export class GateError extends Error {
  constructor(message: string, readonly metric: string, readonly value: number | undefined, readonly bound: string) {
    super(message);
    this.name = "GateError";
  }
}

const OPS: Record<string, (a: number, b: number) => boolean> = {
  ">=": (a, b) => a >= b, ">": (a, b) => a > b, "<=": (a, b) => a <= b, "<": (a, b) => a < b,
  "==": (a, b) => a === b, "!=": (a, b) => a !== b,
};

/** Parse a bound like ">= 0.8" (also "<0.3", "== 1"); a bare number means ">=". */
export function parseBound(bound: string | number, metric: string): { op: string; value: number } {
  if (typeof bound === "number") return { op: ">=", value: bound };
  const m = /^\s*(>=|<=|==|!=|>|<)?\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)\s*$/i.exec(bound);
  if (!m) throw new SyntaxError(`evaluate.gate: bound for "${metric}" must look like ">= 0.8", got ${JSON.stringify(bound)}`);
  return { op: m[1] ?? ">=", value: Number(m[2]) };
}

/**
 * Check every bound; the first miss throws a GateError such as
 * `gate failed: f1 = 0.7512 is not >= 0.8`. A bound on a metric that is absent or not a number
 * fails too. Returns the metrics unchanged so a cell can chain it.
 */
export function gate<T extends object>(metrics: T, bounds: Record<string, string | number>): T {
  const values = metrics as Record<string, unknown>;
  for (const [metric, raw] of Object.entries(bounds)) {
    const { op, value } = parseBound(raw, metric);
    const bound = `${op} ${value}`;
    const actual = values[metric];
    if (typeof actual !== "number" || Number.isNaN(actual)) {
      const have = Object.keys(values).filter((k) => typeof values[k] === "number").join(", ");
      throw new GateError(`gate failed: metric "${metric}" is ${actual === undefined ? "missing" : `not a number (${String(actual)})`}, bound ${bound} (metrics: ${have})`, metric, undefined, bound);
    }
    if (!OPS[op](actual, value)) throw new GateError(`gate failed: ${metric} = ${actual} is not ${bound}`, metric, actual, bound);
  }
  return metrics;
}
