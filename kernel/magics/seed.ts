// `%seed N`: the seed every stage's random generator is derived from.
import type { MagicArgsMap, MagicSpec } from "./types.js";

export const seedMagic: MagicSpec<MagicArgsMap["line:seed"]> = {
  name: "seed",
  kind: "line",
  summary: "set the seed that every stage's random generator is derived from",
  usage: "%seed N",
  parse(words) {
    if (words.length === 0) return { ok: false, message: "%seed: missing argument N (an integer from 0 to 4294967295)" };
    if (words.length > 1) return { ok: false, message: `%seed: unexpected argument "${words[1]}" (one N only)` };
    const text = words[0]!;
    const seed = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(seed) || seed > 0xffffffff) return { ok: false, message: `%seed: argument N must be an integer from 0 to 4294967295, got "${text}"` };
    return { ok: true, args: { seed } };
  },
};
