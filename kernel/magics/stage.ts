// `%%stage NAME [--needs a,b] [--no-cache] [--gate "f1>=0.8"]`: the cell is pipeline stage NAME.
import { parseOptions } from "./args.js";
import type { Gate, MagicArgsMap, MagicSpec } from "./types.js";

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
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
  usage: '%%stage NAME [--needs a,b] [--no-cache] [--gate "f1>=0.8"]',
  parse(words) {
    const parsed = parseOptions("%%stage", words, {
      needs: { takesValue: true, repeat: true },
      "no-cache": { takesValue: false },
      gate: { takesValue: true, repeat: true },
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
    return { ok: true, args: { stage, needs, noCache: options.has("no-cache"), gates } };
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
