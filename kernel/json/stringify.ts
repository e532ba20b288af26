// Canonical JSON text: JSON.stringify(value, null, indent) with object keys sorted, without recursion (any depth) and with cycles reported.

/** A value that has no JSON text (a cycle or a BigInt); `path` names where, like `cells[0].metadata.a`. */
export class JsonValueError extends Error {
  constructor(readonly path: string, what: string) {
    super(`${path || "(top level)"}: ${what}`);
    this.name = "JsonValueError";
  }
}

type Frame = { value: object; keys: string[] | null; index: number; path: string; empty: boolean; compact: boolean };

function pathOf(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? (parent ? `${parent}.${key}` : key) : `${parent}[${JSON.stringify(key)}]`;
}

/** What JSON.stringify would make of `v` before writing it: toJSON applied, boxed primitives unboxed. */
function prepare(v: unknown, key: string, path: string): unknown {
  if (v !== null && typeof v === "object" && typeof (v as { toJSON?: unknown }).toJSON === "function") v = (v as { toJSON(k: string): unknown }).toJSON(key);
  if (v instanceof Number || v instanceof String || v instanceof Boolean) v = v.valueOf();
  if (typeof v === "bigint") throw new JsonValueError(path, "a BigInt has no JSON form");
  return v;
}

function scalar(v: unknown): string | undefined {
  if (v === null) return "null";
  switch (typeof v) {
    case "string": return JSON.stringify(v);
    case "number": return Number.isFinite(v) ? JSON.stringify(v) : "null";
    case "boolean": return v ? "true" : "false";
    default: return undefined; // undefined, function, symbol
  }
}

/**
 * The same text as `JSON.stringify(sortKeys(value), null, indent)` for JSON-like values (object
 * keys in sorted order, undefined members left out), built with an explicit stack so nesting depth
 * is bounded by memory, not the call stack. Containers deeper than `prettyDepth` are written
 * without line breaks (indenting each level would make the text grow with the square of the depth).
 * A cycle or a BigInt throws JsonValueError naming the path.
 */
export function stringifySorted(value: unknown, indent = 2, prettyDepth = 64): string {
  const out: string[] = [];
  const pad = (depth: number, compact: boolean): string => (indent > 0 && !compact ? "\n" + " ".repeat(indent * depth) : "");
  const stack: Frame[] = [];
  const open = new Set<object>();
  /** Write a value, or push its frame; returns false for a value JSON leaves out. */
  const write = (raw: unknown, key: string, path: string): boolean => {
    const v = prepare(raw, key, path);
    const s = scalar(v);
    if (s !== undefined) return out.push(s), true;
    if (typeof v !== "object" || v === null) return false;
    if (open.has(v)) throw new JsonValueError(path, "refers to itself (a cycle has no JSON form)");
    open.add(v);
    const keys = Array.isArray(v) ? null : Object.keys(v).sort();
    out.push(keys ? "{" : "[");
    stack.push({ value: v, keys, index: 0, path, empty: true, compact: indent === 0 || stack.length >= prettyDepth });
    return true;
  };
  if (!write(value, "", "")) return "null";
  while (stack.length) {
    const f = stack[stack.length - 1]!;
    const depth = stack.length;
    const length = f.keys ? f.keys.length : (f.value as unknown[]).length;
    if (f.index >= length) {
      stack.pop();
      open.delete(f.value);
      out.push(f.empty ? (f.keys ? "}" : "]") : `${pad(depth - 1, f.compact)}${f.keys ? "}" : "]"}`);
      continue;
    }
    const i = f.index++;
    if (f.keys) {
      const k = f.keys[i]!;
      const member = (f.value as Record<string, unknown>)[k];
      const at = out.length;
      out.push(`${f.empty ? "" : ","}${pad(depth, f.compact)}${JSON.stringify(k)}${f.compact ? ":" : ": "}`);
      if (write(member, k, pathOf(f.path, k))) f.empty = false;
      else out.length = at;
    } else {
      out.push(`${f.empty ? "" : ","}${pad(depth, f.compact)}`);
      f.empty = false;
      if (!write((f.value as unknown[])[i], String(i), pathOf(f.path, i))) out.push("null");
    }
  }
  return out.join("");
}
