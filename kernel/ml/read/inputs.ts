// Registry of the files `read` opened, with their sha256, for the export lock; and path resolution.
import { createHash } from "node:crypto";
import { createReadStream, readFileSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import { ReadError } from "./errors.js";

/** One file read: path as given (relative to the cwd when possible) and its content hash. */
export interface InputRead { path: string; sha256: string; format: string; bytes: number }

const inputs = new Map<string, InputRead>();

/** Absolute path of a source: relative paths resolve against process.cwd() (the notebook folder in the kernel). */
export function resolvePath(path: string): string {
  return isAbsolute(path) ? path : resolve(process.cwd(), path);
}

/** The path to show and record: relative to the cwd when the file is inside it. */
export function displayPath(path: string): string {
  const abs = resolvePath(path);
  const rel = relative(process.cwd(), abs);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : abs;
}

/**
 * The error for a file that is not there: it names the absolute path tried and, for a relative
 * path, what it was given as, e.g. `file not found: /home/me/nb/data/x.csv (from "data/x.csv",
 * relative to the notebook folder)`. Relative paths resolve against process.cwd(), which is the
 * notebook's folder in the kernel and in exported scripts.
 */
export function fileNotFound(path: string, cause?: unknown): ReadError {
  const error = new ReadError(displayPath(path), "file not found", undefined, undefined, cause === undefined ? undefined : { cause });
  error.message = `file not found: ${resolvePath(path)}${isAbsolute(path) ? "" : ` (from ${JSON.stringify(path)}, relative to the notebook folder)`}`;
  return error;
}

/** Record a file read (later reads of the same path replace the entry: the lock wants what the last run saw). */
export function recordInput(path: string, sha256: string, format: string, bytes: number): InputRead {
  const entry = { path: displayPath(path), sha256, format, bytes };
  inputs.set(entry.path, entry);
  return entry;
}

/** sha256 (hex) of a whole file, for readers whose library reads the file itself. */
export function hashFile(path: string): { sha256: string; bytes: number } {
  const data = readFileSync(resolvePath(path));
  return { sha256: createHash("sha256").update(data).digest("hex"), bytes: data.length };
}

/** sha256 (hex) and size of a file read as a stream, for files that may not fit in memory. */
export async function hashFileStream(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(resolvePath(path))) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), bytes };
}

/**
 * Every file `read` has opened since the last `resetInputs()`, as `{ path, sha256, format, bytes }`,
 * in first-read order. The export writes these into the pipeline's lock file, and the exported
 * script checks them before it runs (`file changed: data/x.csv, expected sha256 ...`). Paths are
 * relative to process.cwd() (the notebook's folder) when the file lies inside it.
 */
export function inputsRead(): InputRead[] {
  return [...inputs.values()];
}

/** Forget the recorded inputs (the kernel calls this when a run starts). */
export function resetInputs(): void {
  inputs.clear();
}
