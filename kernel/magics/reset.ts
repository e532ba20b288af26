// `%reset`: forget every variable and stage state of the kernel.
import { noArguments } from "./args.js";
import type { MagicArgsMap, MagicSpec } from "./types.js";

export const resetMagic: MagicSpec<MagicArgsMap["line:reset"]> = {
  name: "reset",
  kind: "line",
  summary: "forget all variables and stage state",
  usage: "%reset",
  parse: (words) => noArguments("%reset", words),
};
