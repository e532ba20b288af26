// A small argv parser for mlnb's subcommands: positionals, --flag, --key value, -p k=v (repeatable).

export interface ParsedArgs {
  positionals: string[];
  flags: Set<string>;
  values: Map<string, string>;
  /** `-p name=value` pairs, in order. */
  params: Record<string, string>;
}

/** Thrown for a bad command line; the message names the argument. */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * Parse argv. `valued` lists options that take a value (`--out FILE` or `--out=FILE`);
 * every other `--name` is a flag.
 */
export function parseArgs(argv: string[], valued: string[] = []): ParsedArgs {
  const out: ParsedArgs = { positionals: [], flags: new Set(), values: new Map(), params: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-p" || a === "--param") {
      const kv = argv[++i];
      const eq = kv?.indexOf("=") ?? -1;
      if (!kv || eq <= 0) throw new UsageError(`${a} needs name=value, got ${kv === undefined ? "nothing" : JSON.stringify(kv)}`);
      out.params[kv.slice(0, eq)] = kv.slice(eq + 1);
    } else if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (valued.includes(name)) {
        const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
        if (value === undefined) throw new UsageError(`--${name} needs a value`);
        out.values.set(name, value);
      } else out.flags.add(name);
    } else if (a === "-h") out.flags.add("help");
    else if (a === "-o" && valued.includes("out")) {
      const value = argv[++i];
      if (value === undefined) throw new UsageError("-o needs a value");
      out.values.set("out", value);
    } else out.positionals.push(a);
  }
  return out;
}

/**
 * The common front of a subcommand that takes one file: parse argv, answer --help, and require
 * exactly one positional. Returns the parsed args and the file, or the exit code to return
 * (0 after --help, 2 for a bad command line, with the message and usage printed).
 */
export function commandWithFile(command: string, help: string, argv: string[], valued: string[] = []): { args: ParsedArgs; file: string } | number {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv, valued);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`mlnb ${command}: ${e.message}\n\n${help}`);
    return 2;
  }
  if (args.flags.has("help")) {
    console.log(help);
    return 0;
  }
  const [file, ...extra] = args.positionals;
  if (!file || extra.length) {
    console.error(`mlnb ${command}: ${file ? `unexpected argument ${extra[0]}` : "which file? give it as the first argument"}\n\n${help}`);
    return 2;
  }
  return { args, file };
}
