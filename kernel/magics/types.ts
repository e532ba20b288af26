// Shared types of the magics layer: magic specs, parsed magics, and parse diagnostics.

/** Where a magic may appear: `%%name` on a cell's first line, or `%name` on a top-level line of its own. */
export type MagicKind = "cell" | "line";

/** A parse error or warning with a 1-based cell-relative line and column. */
export interface MagicDiagnostic {
  severity: "error" | "warning";
  message: string;
  line: number;
  column: number;
}

/** A threshold a stage's metric must pass (`--gate "f1>=0.8"`). */
export interface Gate {
  metric: string;
  op: ">=" | "<=" | ">" | "<" | "==" | "!=";
  value: number;
  /** The gate as written. */
  text: string;
}

/** Typed arguments of each built-in magic, keyed by `kind:name`. */
export interface MagicArgsMap {
  /** `resources`: Kubernetes requests for the stage's task when exported to Argo or Airflow (`--resources cpu=2`). */
  "cell:stage": { stage: string; needs: string[]; noCache: boolean; gates: Gate[]; resources?: Record<string, string> };
  "cell:params": Record<string, never>;
  "cell:time": Record<string, never>;
  "line:seed": { seed: number };
  "line:stages": Record<string, never>;
  "line:graph": Record<string, never>;
  "line:who": Record<string, never>;
  "line:time": { code: string };
  "line:reset": Record<string, never>;
  "line:export": { path?: string };
}

/** A parsed magic: its name, where it was, its typed arguments and its raw argument text. */
export interface ParsedMagic<A = unknown> {
  kind: MagicKind;
  name: string;
  /** 1-based line of the magic in the cell. */
  line: number;
  args: A;
  /** The text after the magic name, as written. */
  raw: string;
}

/** Narrowing helper type: a parsed built-in magic with its typed args. */
export type BuiltinMagic<K extends keyof MagicArgsMap> = ParsedMagic<MagicArgsMap[K]>;

/** The outcome of parsing one magic's arguments. */
export type ArgsOutcome<A> = { ok: true; args: A } | { ok: false; message: string };

/**
 * One magic: its name, kind, one line of help and an argument parser.
 * Registering a spec in a registry is all it takes to add a magic.
 */
export interface MagicSpec<A = unknown> {
  name: string;
  kind: MagicKind;
  /** One line for help and `%stages`-style listings. */
  summary: string;
  /** Usage as users type it, e.g. `%seed N`. */
  usage: string;
  /**
   * Parse the argument words (shell-like, quotes removed) into typed args, or say which
   * argument is wrong. `raw` is the unsplit text after the name (for `%time CODE`).
   */
  parse(words: string[], raw: string): ArgsOutcome<A>;
}
