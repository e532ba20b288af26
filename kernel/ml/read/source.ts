// Shared plumbing of the file readers: read + hash a file, record it, and mark the table as a lineage root.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { ColumnTable } from "arquero";
import { setRoot } from "../lineage.js";
import { ReadError } from "./errors.js";
import { displayPath, fileNotFound, recordInput, resolvePath } from "./inputs.js";

/** The bytes of a file and their sha256; a missing file is a ReadError naming it. */
export async function loadFile(path: string): Promise<{ bytes: Buffer; sha256: string; shown: string }> {
  const shown = displayPath(path);
  try {
    const bytes = await readFile(resolvePath(path));
    return { bytes, sha256: createHash("sha256").update(bytes).digest("hex"), shown };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw err.code === "ENOENT" ? fileNotFound(path, e) : new ReadError(shown, err.message, undefined, undefined, { cause: e });
  }
}

/** Record the file for the lock and make the table a lineage root keyed by its content. */
export function finishFile(table: ColumnTable, path: string, format: string, sha256: string, bytes: number): ColumnTable {
  const shown = displayPath(path);
  recordInput(path, sha256, format, bytes);
  setRoot(table, { kind: format, name: shown, path: shown, sha256 }, `file:${sha256}`);
  return table;
}
