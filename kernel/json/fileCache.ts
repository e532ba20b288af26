// JSON values kept across processes in a folder, one file per key, written atomically; a miss costs one failed read.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface JsonFileCache<T> {
  /** The value stored under `key` (a hex digest), or undefined when absent, unreadable or refused by `valid`. */
  get(key: string): T | undefined;
  /** Store `value` under `key`; a folder that cannot be written is no error (the value is not kept). */
  set(key: string, value: T): void;
}

/**
 * Open the cache kept in `dir` (created on the first write). Files are `dir/ab/abcd....json`;
 * writers race harmlessly: each writes a temp file of its own and renames it into place.
 */
export function openJsonFileCache<T>(dir: string, valid: (value: unknown) => value is T): JsonFileCache<T> {
  const file = (key: string) => join(dir, key.slice(0, 2), `${key}.json`);
  return {
    get(key) {
      try {
        const value = JSON.parse(readFileSync(file(key), "utf8")) as unknown;
        return valid(value) ? value : undefined;
      } catch {
        return undefined;
      }
    },
    set(key, value) {
      try {
        const path = file(key);
        mkdirSync(dirname(path), { recursive: true });
        const tmp = `${path}.tmp-${process.pid}`;
        writeFileSync(tmp, JSON.stringify(value));
        renameSync(tmp, path);
      } catch {
        // A read-only store folder: results are simply not remembered across processes.
      }
    },
  };
}
