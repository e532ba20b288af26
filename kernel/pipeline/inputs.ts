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

/** Why a path named as an input is not hashed. */
export class InputFileError extends Error {}

/**
 * Hash an input file safely: only a regular file is read (a FIFO, device, socket or folder is
 * refused without being read: it is opened non-blocking and checked on the open descriptor), and
 * unless `allowOutside`, only one whose real path (symlinks resolved) lies inside `root`.
 * Missing files give undefined; refusals throw InputFileError naming the path and why.
 */
export function hashInputFile(abs: string, root: string, shown: string, allowOutside = false): { sha256: string; bytes: number } | undefined {
  let real: string;
  try {
    real = fs.realpathSync(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new InputFileError(`${shown}: cannot be read (${(e as Error).message})`);
  }
  if (!allowOutside) {
    const rel = relative(fs.realpathSync(root), real);
    if (rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) throw new InputFileError(`${shown}: refused, it is outside the notebook's folder (${real}); pass --allow-outside to hash it anyway`);
  }
  const pre = fs.statSync(real);
  if (!pre.isFile()) throw new InputFileError(`${shown}: refused, it is not a regular file (${kindOf(pre)})`);
  const fd = fs.openSync(real, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | (fs.constants.O_NOFOLLOW ?? 0));
  try {
    const st = fs.fstatSync(fd);
    // Checked again on the descriptor: the path may have been swapped for a FIFO or device since.
    if (!st.isFile()) throw new InputFileError(`${shown}: refused, it is not a regular file (${kindOf(st)})`);
    const hash = createHash("sha256");
    const buf = Buffer.allocUnsafe(1 << 20);
    let bytes = 0;
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; bytes += n) hash.update(buf.subarray(0, n));
    return { sha256: hash.digest("hex"), bytes };
  } finally {
    fs.closeSync(fd);
  }
}

function kindOf(st: fs.Stats): string {
  return st.isDirectory() ? "a folder" : st.isFIFO() ? "a FIFO" : st.isCharacterDevice() ? "a character device" : st.isBlockDevice() ? "a block device" : st.isSocket() ? "a socket" : "not a file";
}

/** Compare lock inputs with the files under `dir`; the message is `input changed: PATH (lock sha256 X, now Y)`. */
export function checkInputs(inputs: readonly LockInput[], dir: string): InputProblem[] {
  const problems: InputProblem[] = [];
  for (const input of inputs) {
    const abs = resolve(dir, input.path);
    let got;
    try {
      // The exporter decided which folders may be read; the script still reads regular files only.
      got = hashInputFile(abs, dir, input.path, true);
    } catch (e) {
      if (!(e instanceof InputFileError)) throw e;
      problems.push({ path: input.path, expected: input.sha256, message: `input refused: ${e.message}` });
      continue;
    }
    if (!got) {
      problems.push({ path: input.path, expected: input.sha256, message: `input missing: ${input.path} (lock sha256 ${input.sha256})` });
      continue;
    }
    const actual = got.sha256;
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
