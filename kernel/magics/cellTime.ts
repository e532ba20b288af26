// `%%time`: time the whole cell.
import { noArguments } from "./args.js";
import type { MagicArgsMap, MagicSpec } from "./types.js";

export const cellTimeMagic: MagicSpec<MagicArgsMap["cell:time"]> = {
  name: "time",
  kind: "cell",
  summary: "time the whole cell",
  usage: "%%time",
  parse: (words) => noArguments("%%time", words),
};
