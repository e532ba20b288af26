// `%export [path]`: export the notebook as a pipeline script (default path beside the notebook).
import type { MagicArgsMap, MagicSpec } from "./types.js";

export const exportMagic: MagicSpec<MagicArgsMap["line:export"]> = {
  name: "export",
  kind: "line",
  summary: "export the notebook as a pipeline script",
  usage: "%export [path]",
  parse(words) {
    if (words.length > 1) return { ok: false, message: `%export: unexpected argument "${words[1]}" (one path at most; quote paths with spaces)` };
    return { ok: true, args: words[0] === undefined ? {} : { path: words[0] } };
  },
};
