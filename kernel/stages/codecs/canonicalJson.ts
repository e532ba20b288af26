// Canonical JSON: sorted keys, no whitespace; and a check that says why a value is not JSON.

/** JSON text with object keys sorted at every level; equal data gives equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
}

/** A short description of a value's type, for messages ("function", "Map(3)", "instance of Foo"). */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "function") return value.name ? `function ${value.name}` : "function";
  if (typeof value !== "object") return typeof value;
  if (value instanceof Map) return `Map(${value.size})`;
  if (value instanceof Set) return `Set(${value.size})`;
  if (Array.isArray(value)) return `array[${value.length}]`;
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  if (proto === null || proto === Object.prototype) return "object";
  return `instance of ${proto.constructor?.name || "an anonymous class"}`;
}

/**
 * Why `value` would not survive a JSON round trip unchanged (naming the path, e.g.
 * `value.rows[3] is NaN`), or undefined when it is plain JSON data.
 */
export function whyNotJson(value: unknown, path = "value", seen = new Set<object>()): string | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return undefined;
    case "number":
      return Number.isFinite(value) ? undefined : `${path} is ${value} (JSON has no ${value})`;
    case "undefined":
      return `${path} is undefined`;
    case "bigint":
      return `${path} is a bigint`;
    case "symbol":
      return `${path} is a symbol`;
    case "function":
      return `${path} is a ${describe(value)}`;
  }
  if (value === null) return undefined;
  const obj = value as object;
  if (seen.has(obj)) return `${path} refers back to itself (a cycle)`;
  seen.add(obj);
  try {
    if (Array.isArray(obj)) {
      for (let i = 0; i < obj.length; i++) {
        if (!(i in obj)) return `${path}[${i}] is a hole in a sparse array`;
        const why = whyNotJson(obj[i], `${path}[${i}]`, seen);
        if (why) return why;
      }
      return undefined;
    }
    const proto = Object.getPrototypeOf(obj) as unknown;
    if (proto !== Object.prototype && proto !== null) return `${path} is ${withArticle(describe(obj))}, which has no codec`;
    if (Object.getOwnPropertySymbols(obj).length) return `${path} has symbol keys`;
    for (const [k, v] of Object.entries(obj)) {
      const why = whyNotJson(v, /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`, seen);
      if (why) return why;
    }
    return undefined;
  } finally {
    seen.delete(obj);
  }
}

function withArticle(text: string): string {
  return text.startsWith("instance") ? `an ${text}` : `a ${text}`;
}
