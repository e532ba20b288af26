// `%%params`: the cell's top-level literal consts are the notebook's parameters (see paramValues.ts).
import { noArguments } from "./args.js";
import type { MagicArgsMap, MagicSpec } from "./types.js";

export const paramsMagic: MagicSpec<MagicArgsMap["cell:params"]> = {
  name: "params",
  kind: "cell",
  summary: "top-level literal consts are parameters, overridable with -p name=value",
  usage: "%%params",
  parse: (words) => noArguments("%%params", words),
};
