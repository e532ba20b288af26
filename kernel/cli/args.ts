// The shared front of mlnb's commands: a declarative option spec per command, parsed strictly by node:util parseArgs, with --help.
import { parseArgs as nodeParseArgs } from "node:util";
import { closest } from "../magics/suggest.js";

/** One option of a command: `--name VALUE` (string) or `--name` (boolean). */
export interface OptionSpec {
  type: "string" | "boolean";
  /** One-letter alias: `-o`. */
  short?: string;
  /** Repeatable; the value is the list in order. */
  multiple?: boolean;
  /** The value's placeholder in the help (`FILE`). */
  arg?: string;
  /** One line for the help. */
  help: string;
}

/** What a command accepts; `--help`/`-h` is added to every command. */
export interface CommandSpec {
  /** As typed after `mlnb`: "run", "runs diff". */
  command: string;
  /** Usage lines after `usage: ` (`mlnb run NOTEBOOK.mlnb [options]`). */
  usage: string[];
  /** A paragraph under the usage. */
  about?: string;
  options: Record<string, OptionSpec>;
  /** `-p, --param k=v` overrides, collected into `params`. */
  params?: boolean;
  /** Allowed positional count [min, max] (default [0, Infinity]) and what they are, for the error. */
  positionals?: { min: number; max: number; what: string };
  /** Lines after the options (exit codes beyond the usual, environment...). */
  footer?: string;
}

type ValueOf<O extends OptionSpec> = O["type"] extends "boolean" ? boolean | undefined : O["multiple"] extends true ? string[] | undefined : string | undefined;

/** A parsed command line: option values by name, positionals, params. */
export interface Parsed<S extends CommandSpec = CommandSpec> {
  values: { [K in keyof S["options"]]: ValueOf<S["options"][K]> };
  positionals: string[];
  params: Record<string, string>;
}

/** Thrown for a bad command line; the message names the argument. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** The exit codes every command uses (README: "Exit codes"). */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** Declare a command (identity, for type inference of its option values). */
export function defineCommand<S extends CommandSpec>(spec: S): S {
  return spec;
}

function allOptions(spec: CommandSpec): Record<string, OptionSpec> {
  const all: Record<string, OptionSpec> = { ...spec.options };
  if (spec.params) all.param = { type: "string", short: "p", multiple: true, arg: "k=v", help: "override a %%params value (repeatable)" };
  all.help = { type: "boolean", short: "h", help: "show this help" };
  return all;
}

/**
 * Parse argv against the spec with node's parseArgs in strict mode. An unknown option, a missing
 * or unexpected value, a bad `-p` pair or a wrong positional count throws UsageError; an unknown
 * option's message suggests the closest known one (`unknown option --no-cahce; did you mean --no-cache?`).
 */
export function parseCommand<S extends CommandSpec>(spec: S, argv: string[]): Parsed<S> & { help: boolean } {
  const all = allOptions(spec);
  let parsed;
  try {
    parsed = nodeParseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: Object.fromEntries(Object.entries(all).map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) }])),
    });
  } catch (e) {
    throw new UsageError(usageMessage(e as Error & { code?: string }, all));
  }
  const values = parsed.values as Record<string, unknown>;
  const help = values.help === true;
  delete values.help;
  const params: Record<string, string> = {};
  for (const kv of (values.param as string[] | undefined) ?? []) {
    const eq = kv.indexOf("=");
    if (eq <= 0) throw new UsageError(`-p needs name=value, got ${JSON.stringify(kv)}`);
    params[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  delete values.param;
  const { min, max, what } = spec.positionals ?? { min: 0, max: Infinity, what: "argument" };
  const pos = parsed.positionals;
  if (!help && pos.length < min) throw new UsageError(`which ${what}? give it as ${min === 1 ? "the first argument" : `${min} arguments`}`);
  if (!help && pos.length > max) throw new UsageError(`unexpected argument ${JSON.stringify(pos[max])}`);
  return { values: values as Parsed<S>["values"], positionals: pos, params, help };
}

/** Our wording of node's parse errors, with a suggestion for a misspelt option. */
function usageMessage(e: Error & { code?: string }, all: Record<string, OptionSpec>): string {
  const option = /option '([^']+)'/i.exec(e.message)?.[1]?.split(/[ =]/)[0] ?? "";
  switch (e.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION": {
      const bare = option.replace(/^-+/, "");
      const names = Object.keys(all);
      const guess = option.startsWith("--") ? closest(bare, names) : Object.entries(all).find(([, o]) => o.short === bare)?.[0];
      return `unknown option ${option}${guess ? `; did you mean --${guess}?` : ""}`;
    }
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      const name = /(--[\w-]+)/.exec(e.message)?.[1] ?? option;
      if (/does not take an argument/.test(e.message)) return `option ${name} takes no value`;
      if (/argument missing/.test(e.message)) return `option ${name} needs a value`;
      if (/ambiguous/.test(e.message)) return `option ${name} needs a value (to pass one starting with "-", write ${name}=VALUE)`;
      return e.message;
    }
    default:
      return e.message;
  }
}

/** The command's help: usage, about, aligned options, exit codes. */
export function helpText(spec: CommandSpec): string {
  const rows = Object.entries(allOptions(spec)).map(([name, o]) => [`${o.short ? `-${o.short}, ` : ""}--${name}${o.type === "string" ? ` ${o.arg ?? "VALUE"}` : ""}`, o.help]);
  const width = Math.max(...rows.map(([l]) => l.length));
  return [
    ...spec.usage.map((u, i) => `${i === 0 ? "usage: " : "       "}${u}`),
    ...(spec.about ? ["", spec.about] : []),
    "",
    "options:",
    ...rows.map(([l, h]) => `  ${l.padEnd(width)}  ${h}`),
    "",
    spec.footer ?? "exit codes: 0 ok, 1 failure, 2 usage error",
  ].join("\n");
}

/** Where a command writes (injected so tests read the output). */
export interface Io {
  out(line: string): void;
  err(line: string): void;
}

/** console.log / console.error. */
export const consoleIo: Io = { out: (l) => console.log(l), err: (l) => console.error(l) };

/**
 * The front every command calls first: parse argv; on --help print the help and return 0; on a
 * usage error print `mlnb CMD: message` and the help to stderr and return 2; else the parsed line.
 */
export function startCommand<S extends CommandSpec>(spec: S, argv: string[], io: Io = consoleIo): Parsed<S> | number {
  try {
    const parsed = parseCommand(spec, argv);
    if (parsed.help) {
      io.out(helpText(spec));
      return EXIT.ok;
    }
    return parsed;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return usageError(spec, e.message, io);
  }
}

/** Print a usage error for the command (message, then its help) and return exit code 2. */
export function usageError(spec: CommandSpec, message: string, io: Io = consoleIo): number {
  io.err(`mlnb ${spec.command}: ${message}\n\n${helpText(spec)}`);
  return EXIT.usage;
}

/** The older shape of a parsed line (flags and values by name), kept for commands not yet declared with a spec. */
export interface ParsedArgs {
  positionals: string[];
  flags: Set<string>;
  values: Map<string, string>;
  params: Record<string, string>;
}

/**
 * Older front of a one-file command, now strict: its options are the `--names` its help text
 * mentions (`valued` take a value, the others are flags; `-o` is `--out`, `-p` a param). Prefer
 * `defineCommand` + `startCommand` for new commands.
 */
export function commandWithFile(command: string, help: string, argv: string[], valued: string[] = []): { args: ParsedArgs; file: string } | number {
  const names = new Set([...help.matchAll(/--([a-z][\w-]*)/g)].map((m) => m[1]!).concat(valued));
  names.delete("help");
  names.delete("param");
  const options: Record<string, OptionSpec> = {};
  for (const n of names) options[n] = { type: valued.includes(n) ? "string" : "boolean", ...(n === "out" && valued.includes("out") ? { short: "o" } : {}), help: "" };
  const spec: CommandSpec = { command, usage: [], options, params: true, positionals: { min: 1, max: 1, what: "file" } };
  try {
    const p = parseCommand(spec, argv);
    if (p.help) return console.log(help), EXIT.ok;
    const vals = p.values as Record<string, unknown>;
    const flags = new Set(Object.entries(vals).filter(([, v]) => v === true).map(([k]) => k));
    const values = new Map(Object.entries(vals).filter(([, v]) => typeof v === "string") as [string, string][]);
    return { args: { positionals: p.positionals, flags, values, params: p.params }, file: p.positionals[0]! };
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`mlnb ${command}: ${e.message}\n\n${help}`);
    return EXIT.usage;
  }
}
