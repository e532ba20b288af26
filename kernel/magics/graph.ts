// `%graph`: show the stage DAG as a picture, nodes coloured by status.
import { noArguments } from "./args.js";
import type { MagicArgsMap, MagicSpec } from "./types.js";

export const graphMagic: MagicSpec<MagicArgsMap["line:graph"]> = {
  name: "graph",
  kind: "line",
  summary: "the stage graph as an SVG, nodes coloured by status",
  usage: "%graph",
  parse: (words) => noArguments("%graph", words),
};
