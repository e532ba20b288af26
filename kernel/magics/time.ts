// `%time CODE`: run the rest of the line as code and report how long it took.
import type { MagicArgsMap, MagicSpec } from "./types.js";

export const timeMagic: MagicSpec<MagicArgsMap["line:time"]> = {
  name: "time",
  kind: "line",
  summary: "time the rest of the line",
  usage: "%time CODE",
  parse(_words, raw) {
    const code = raw.trim();
    if (!code) return { ok: false, message: "%time: missing argument CODE (the code to time; use %%time to time a whole cell)" };
    return { ok: true, args: { code } };
  },
};
