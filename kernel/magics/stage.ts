// `%%stage NAME [--needs a,b] [--no-cache] [--gate "f1>=0.8"] [--resources cpu=2,memory=4Gi]`: the cell is pipeline stage NAME.
import { parseOptions } from "./args.js";
import type { Gate, MagicArgsMap, MagicSpec } from "./types.js";

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** Resource names a stage may request, as Kubernetes names them. */
const RESOURCES: Record<string, string> = { cpu: "cpu", memory: "memory", gpu: "nvidia.com/gpu", "ephemeral-storage": "ephemeral-storage" };
/** A Kubernetes quantity: 2, 0.5, 500m, 4Gi, 1e3... */
const QUANTITY = /^(\d+(\.\d+)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|e\d+)?$/;

/**
 * Parse `cpu=2,memory=4Gi` into Kubernetes resource requests (`gpu` is `nvidia.com/gpu`); an
 * error message names the bad entry.
 */
export function parseResources(text: string): { ok: true; resources: Record<string, string> } | { ok: false; message: string } {
  const resources: Record<string, string> = {};
  for (const entry of text.split(",").map((s) => s.trim()).filter(Boolean)) {
    const eq = entry.indexOf("=");
    const key = eq > 0 ? entry.slice(0, eq).trim() : entry;
    const value = eq > 0 ? entry.slice(eq + 1).trim() : "";
    const name = RESOURCES[key];
    if (!name) return { ok: false, message: `%%stage: --resources: unknown resource "${key}" (known: ${Object.keys(RESOURCES).join(", ")})` };
    if (!QUANTITY.test(value)) return { ok: false, message: `%%stage: --resources: ${key}="${value}" is not a quantity such as 2, 500m or 4Gi` };
    resources[name] = value;
  }
  return { ok: true, resources };
}

const GATE = /^\s*([A-Za-z_][\w.-]*)\s*(>=|<=|==|!=|>|<)\s*(-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*$/i;

/** Parse one gate such as `f1>=0.8`; undefined when it is not `metric OP number`. */
export function parseGate(text: string): Gate | undefined {
  const m = GATE.exec(text);
  if (!m) return undefined;
  return { metric: m[1]!, op: m[2] as Gate["op"], value: Number(m[3]), text: text.trim() };
}

/** Whether a metric value passes a gate. */
export function passesGate(gate: Gate, value: number): boolean {
  switch (gate.op) {
    case ">=": return value >= gate.value;
    case "<=": return value <= gate.value;
    case ">": return value > gate.value;
    case "<": return value < gate.value;
    case "==": return value === gate.value;
    case "!=": return value !== gate.value;
  }
}

export const stageMagic: MagicSpec<MagicArgsMap["cell:stage"]> = {
  name: "stage",
  kind: "cell",
  summary: "the cell is a pipeline stage: tracked, cached, and kept fresh",
  usage: '%%stage NAME [--needs a,b] [--no-cache] [--gate "f1>=0.8"] [--resources cpu=2,memory=4Gi]',
  parse(words) {
    const parsed = parseOptions("%%stage", words, {
      needs: { takesValue: true, repeat: true },
      "no-cache": { takesValue: false },
      gate: { takesValue: true, repeat: true },
      resources: { takesValue: true, repeat: true },
    });
    if (!parsed.ok) return parsed;
    const { positional, options } = parsed.value;
    if (positional.length === 0) return { ok: false, message: "%%stage: missing argument NAME (the stage name)" };
    if (positional.length > 1) return { ok: false, message: `%%stage: unexpected argument "${positional[1]}" (one NAME only)` };
    const stage = positional[0]!;
    if (!NAME.test(stage)) return { ok: false, message: `%%stage: argument NAME "${stage}" must be letters, digits, _ or - and start with a letter or _` };
    const needs: string[] = [];
    const seen = new Set<string>();
    for (const list of options.get("needs") ?? []) {
      for (const need of list.split(",").map((s) => s.trim()).filter(Boolean)) {
        if (!NAME.test(need)) return { ok: false, message: `%%stage: --needs: "${need}" is not a stage name` };
        if (need === stage) return { ok: false, message: `%%stage: --needs: stage "${stage}" cannot need itself` };
        if (!seen.has(need)) { seen.add(need); needs.push(need); }
      }
    }
    const gates: Gate[] = [];
    for (const text of options.get("gate") ?? []) {
      const gate = parseGate(text);
      if (!gate) return { ok: false, message: `%%stage: --gate "${text}" must look like METRIC>=NUMBER (operators >= <= > < == !=)` };
      gates.push(gate);
    }
    let resources: Record<string, string> | undefined;
    for (const text of options.get("resources") ?? []) {
      const parsedResources = parseResources(text);
      if (!parsedResources.ok) return parsedResources;
      resources = { ...resources, ...parsedResources.resources };
    }
    return { ok: true, args: { stage, needs, noCache: options.has("no-cache"), gates, ...(resources ? { resources } : {}) } };
  },
};

/**
 * The gates a stage run fails, as messages ("gate f1>=0.8 failed: f1 = 0.75"); empty when all
 * pass. A gate on a metric the stage did not log fails too: a gate that cannot fail is no gate.
 */
export function checkGates(gates: readonly Gate[], metrics: Record<string, number>): string[] {
  return gates.flatMap((g) => {
    const value = metrics[g.metric];
    if (value === undefined) return [`gate ${g.text} failed: metric "${g.metric}" was not logged (log.metric("${g.metric}", value))`];
    return passesGate(g, value) ? [] : [`gate ${g.text} failed: ${g.metric} = ${value}`];
  });
}
