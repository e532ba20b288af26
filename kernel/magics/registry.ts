// The magic registry: the built-in magics, lookup by kind and name, and "did you mean" suggestions.
import { cellTimeMagic } from "./cellTime.js";
import { exportMagic } from "./export.js";
import { graphMagic } from "./graph.js";
import { paramsMagic } from "./params.js";
import { resetMagic } from "./reset.js";
import { seedMagic } from "./seed.js";
import { stageMagic } from "./stage.js";
import { stagesMagic } from "./stages.js";
import { closest } from "./suggest.js";
import { timeMagic } from "./time.js";
import { whoMagic } from "./who.js";
import type { MagicKind, MagicSpec } from "./types.js";

/** Every magic mlnb knows, in help order. */
export const BUILTIN_MAGICS: readonly MagicSpec<any>[] = [
  stageMagic,
  paramsMagic,
  cellTimeMagic,
  seedMagic,
  stagesMagic,
  graphMagic,
  whoMagic,
  timeMagic,
  resetMagic,
  exportMagic,
];

export interface MagicRegistry {
  /** Add a magic; a second magic with the same kind and name is an error. */
  register(spec: MagicSpec<any>): void;
  get(kind: MagicKind, name: string): MagicSpec<any> | undefined;
  /** Registered magics, optionally of one kind, in registration order. */
  list(kind?: MagicKind): MagicSpec<any>[];
  /**
   * The closest known magic to a misspelt `name`, written with its prefix (`%stages`,
   * `%%stage`); magics of the same kind are preferred. Undefined when nothing is close.
   */
  suggest(kind: MagicKind, name: string): string | undefined;
}

const prefix = (kind: MagicKind) => (kind === "cell" ? "%%" : "%");

/** A registry holding `specs` (the built-in magics by default). */
export function createMagicRegistry(specs: readonly MagicSpec<any>[] = BUILTIN_MAGICS): MagicRegistry {
  const byKey = new Map<string, MagicSpec<any>>();
  const registry: MagicRegistry = {
    register(spec) {
      const key = `${spec.kind}:${spec.name}`;
      if (byKey.has(key)) throw new Error(`magic ${prefix(spec.kind)}${spec.name} is already registered`);
      byKey.set(key, spec);
    },
    get: (kind, name) => byKey.get(`${kind}:${name}`),
    list: (kind) => [...byKey.values()].filter((s) => !kind || s.kind === kind),
    suggest(kind, name) {
      const other: MagicKind = kind === "cell" ? "line" : "cell";
      if (byKey.has(`${other}:${name}`)) return `${prefix(other)}${name}`;
      const same = closest(name, registry.list(kind).map((s) => s.name));
      if (same) return `${prefix(kind)}${same}`;
      const guess = closest(name, registry.list(other).map((s) => s.name));
      return guess ? `${prefix(other)}${guess}` : undefined;
    },
  };
  for (const spec of specs) registry.register(spec);
  return registry;
}

/** The shared registry of built-in magics (extend it with `register`). */
export const defaultMagics: MagicRegistry = createMagicRegistry();
