// `%stages`: show the stage table (status, cached, duration, outputs with kind and shape, metrics).
import { noArguments } from "./args.js";
import type { MagicArgsMap, MagicSpec } from "./types.js";

export const stagesMagic: MagicSpec<MagicArgsMap["line:stages"]> = {
  name: "stages",
  kind: "line",
  summary: "table of stages: status, cached, duration, outputs, metrics",
  usage: "%stages",
  parse: (words) => noArguments("%stages", words),
};
