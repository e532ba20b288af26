// Input files of a script run: checked against the lock before the first stage, and recorded while stages read them.
import { createHash } from "node:crypto";
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { LockInput } from "./types.js";

/** One lock input whose file is not what the lock says. */
export interface InputProblem {
  path: string;
  expected: string;
  /** The file's sha256 now, or undefined when it is missing. */
  actual?: string;
  message: string;
}

/** Compare lock inputs with the files under `dir`; the message is `input changed: PATH (lock sha256 X, now Y)`. */
export function checkInputs(inputs: readonly LockInput[], dir: string): InputProblem[] {
  const problems: InputProblem[] = [];
  for (const input of inputs) {
    const abs = resolve(dir, input.path);
    if (!fs.existsSync(abs)) {
      problems.push({ path: input.path, expected: input.sha256, message: `input missing: ${input.path} (lock sha256 ${input.sha256})` });
      continue;
    }
    const actual = createHash("sha256").update(fs.readFileSync(abs)).digest("hex");
    if (actual !== input.sha256) problems.push({ path: input.path, expected: input.sha256, actual, message: `input changed: ${input.path} (lock sha256 ${input.sha256}, now ${actual})` });
  }
  return problems;
}

/** A file a stage read while the script ran. */
export interface FileRead {
  /** Relative to the run's folder (with "/"), or absolute outside it. */
  path: string;
  stage: string;
}

/**
 * Record the files stages read through node:fs while `fn` runs (readFile, readFileSync,
 * createReadStream, open, openSync, fs.promises.readFile/open), so reads the export could not
 * see are reported. Reads given a relative path, or an absolute one outside any node_modules and
 * outside mlnb itself, count: libraries loading their own files do not. The fs functions are
 * restored afterwards, including the named ESM exports (`import { readFileSync } from "node:fs"`).
 */
export async function recordFileReads<T>(dir: string, ignoreUnder: string, currentStage: () => string | undefined, fn: () => Promise<T>): Promise<{ value: T; reads: FileRead[] }> {
  const reads: FileRead[] = [];
  const seen = new Set<string>();
  const note = (arg: unknown) => {
    const stage = currentStage();
    if (!stage) return;
    const p = typeof arg === "string" ? arg : arg instanceof URL && arg.protocol === "file:" ? fileURLToPath(arg) : Buffer.isBuffer(arg) ? arg.toString() : undefined;
    if (p === undefined) return;
    const abs = resolve(p);
    if (isAbsolute(p) && (abs.split(sep).includes("node_modules") || abs.startsWith(ignoreUnder + sep))) return;
    const rel = relative(dir, abs);
    const path = isAbsolute(rel) ? abs : rel.split(sep).join("/");
    const key = `${stage}\0${path}`;
    if (!seen.has(key)) (seen.add(key), reads.push({ path, stage }));
  };
  const targets: [Record<string, any>, string][] = [
    [fs, "readFileSync"], [fs, "readFile"], [fs, "createReadStream"], [fs, "openSync"], [fs, "open"],
    [fs.promises, "readFile"], [fs.promises, "open"],
  ];
  const originals = targets.map(([obj, name]) => obj[name] as (...a: unknown[]) => unknown);
  targets.forEach(([obj, name], i) => {
    const original = originals[i]!;
    obj[name] = function (this: unknown, ...args: unknown[]) {
      if (name.startsWith("open") && typeof args[1] === "string" && /[wa+]/.test(args[1])) return original.apply(this, args);
      note(args[0]);
      return original.apply(this, args);
    };
  });
  syncBuiltinESMExports();
  try {
    return { value: await fn(), reads };
  } finally {
    targets.forEach(([obj, name], i) => (obj[name] = originals[i]));
    syncBuiltinESMExports();
  }
}
