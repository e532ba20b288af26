// Shell-like splitting of magic arguments and `--flag value` option parsing with helpful errors.
import { closest } from "./suggest.js";

const SPECIAL = /[\s'"\\]/g;

/** Split text into words: whitespace separates, '...' and "..." quote, backslash escapes in "..." and bare words. */
export function splitWords(text: string): { ok: true; words: string[] } | { ok: false; message: string } {
  const words: string[] = [];
  let word: string | undefined;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
      i++;
    } else if (ch === "'" || ch === '"') {
      const end = findClosingQuote(text, i);
      if (end < 0) return { ok: false, message: `unterminated ${ch === '"' ? "double" : "single"} quote at column ${i + 1}` };
      const body = text.slice(i + 1, end);
      word = (word ?? "") + (ch === '"' ? body.replace(/\\(["\\])/g, "$1") : body);
      i = end + 1;
    } else if (ch === "\\" && i + 1 < text.length) {
      word = (word ?? "") + text[i + 1];
      i += 2;
    } else {
      // a run of ordinary characters at once (char-by-char appends made long lines slow)
      SPECIAL.lastIndex = i;
      const end = SPECIAL.exec(text)?.index ?? text.length;
      word = (word ?? "") + text.slice(i, end);
      i = end;
    }
  }
  if (word !== undefined) words.push(word);
  return { ok: true, words };
}

function findClosingQuote(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (quote === '"' && text[i] === "\\") i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

/** What an option takes: a value (`--needs a,b`) or nothing (`--no-cache`). */
export interface OptionSpec {
  takesValue: boolean;
  /** May be given more than once (values are collected). */
  repeat?: boolean;
}

export interface ParsedOptions {
  positional: string[];
  /** Option name (without dashes) -> values given ("" for flags). */
  options: Map<string, string[]>;
}

/**
 * Parse `--name value`, `--name=value` and `--flag` words against a spec. Errors name the
 * option and suggest the closest known one. `magic` prefixes messages (e.g. "%%stage").
 */
export function parseOptions(magic: string, words: string[], spec: Record<string, OptionSpec>): { ok: true; value: ParsedOptions } | { ok: false; message: string } {
  const positional: string[] = [];
  const options = new Map<string, string[]>();
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!w.startsWith("--")) {
      positional.push(w);
      continue;
    }
    const eq = w.indexOf("=");
    const name = w.slice(2, eq < 0 ? undefined : eq);
    const opt = spec[name];
    if (!opt) {
      const guess = closest(name, Object.keys(spec));
      return { ok: false, message: `${magic}: unknown option --${name}${guess ? `; did you mean --${guess}?` : ""}` };
    }
    let value = "";
    if (opt.takesValue) {
      if (eq >= 0) value = w.slice(eq + 1);
      else if (i + 1 < words.length && !words[i + 1]!.startsWith("--")) value = words[++i]!;
      else return { ok: false, message: `${magic}: option --${name} needs a value` };
      if (value === "") return { ok: false, message: `${magic}: option --${name} needs a value` };
    } else if (eq >= 0) {
      return { ok: false, message: `${magic}: option --${name} takes no value` };
    }
    const seen = options.get(name);
    if (seen && !opt.repeat) return { ok: false, message: `${magic}: option --${name} given twice` };
    // push, not copy: a line repeating an option thousands of times stays linear
    if (seen) seen.push(value);
    else options.set(name, [value]);
  }
  return { ok: true, value: { positional, options } };
}

/** For magics that take no arguments: an error naming the first unexpected one. */
export function noArguments(magic: string, words: string[]): { ok: true; args: Record<string, never> } | { ok: false; message: string } {
  return words.length === 0 ? { ok: true, args: {} } : { ok: false, message: `${magic}: unexpected argument "${words[0]}" (${magic} takes none)` };
}
