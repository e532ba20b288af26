// `%who`: list the kernel's variables with the stage that defines them and their type.
import { noArguments } from "./args.js";
import type { MagicArgsMap, MagicSpec } from "./types.js";

export const whoMagic: MagicSpec<MagicArgsMap["line:who"]> = {
  name: "who",
  kind: "line",
  summary: "variables with their stage and type",
  usage: "%who",
  parse: (words) => noArguments("%who", words),
};
