// Opens a SQLite database on the first backend that loads here: better-sqlite3, node:sqlite, WebAssembly.
//
// The one seam where mlnb meets SQLite (the run store and read.sqlite both open through it), so a
// kernel runs on any platform and any Node >= 20.19, VS Code's own runtime included: a native
// binary that does not match the platform or the Node ABI is skipped, not fatal.
import { loadBetterSqlite } from "./betterSqlite.js";
import { loadNodeSqlite } from "./nodeSqlite.js";
import type { OpenOptions, SqlDatabase, SqliteBackendName } from "./types.js";
import { loadWasmSqlite } from "./wasmSqlite.js";

export type { OpenOptions, SqlDatabase, SqliteBackendName, SqlStatement } from "./types.js";

/** The backends in the order they are tried. */
export const SQLITE_BACKENDS: readonly SqliteBackendName[] = ["better-sqlite3", "node:sqlite", "wasm"];

const LOADERS: Record<SqliteBackendName, () => (file: string, options: OpenOptions) => SqlDatabase> = {
  "better-sqlite3": loadBetterSqlite,
  "node:sqlite": loadNodeSqlite,
  wasm: loadWasmSqlite,
};

/** No SQLite backend loads: the message says what was tried and what to install. */
export class SqliteUnavailableError extends Error {
  override name = "SqliteUnavailable";
}

type Loaded = { name: SqliteBackendName; open: (file: string, options: OpenOptions) => SqlDatabase };
const chosen = new Map<string, Loaded>();

/** First line of a load error: a native module's stack helps no user. */
const firstLine = (e: unknown) => String((e as Error)?.message ?? e).split("\n")[0]!.trim().replace(/\.$/, "");

/** The backend to use: MLNB_SQLITE names one (`better-sqlite3`, `node:sqlite` or `wasm`), else the first that loads. */
export function sqliteBackend(env: NodeJS.ProcessEnv = process.env): Loaded {
  const wanted = env.MLNB_SQLITE?.trim() || "";
  const cached = chosen.get(wanted);
  if (cached) return cached;
  if (wanted && !(SQLITE_BACKENDS as readonly string[]).includes(wanted)) {
    throw new SqliteUnavailableError(`MLNB_SQLITE=${wanted} is not a SQLite backend; use one of ${SQLITE_BACKENDS.join(", ")} (or leave it unset)`);
  }
  const failures: string[] = [];
  for (const name of wanted ? [wanted as SqliteBackendName] : SQLITE_BACKENDS) {
    try {
      const loaded = { name, open: LOADERS[name]() };
      chosen.set(wanted, loaded);
      return loaded;
    } catch (e) {
      failures.push(`${name}: ${firstLine(e)}`);
    }
  }
  throw new SqliteUnavailableError(
    `mlnb found no SQLite it can load on Node ${process.versions.node} (${process.platform}-${process.arch}): ${failures.join("; ")}. ` +
      (wanted ? `MLNB_SQLITE=${wanted} asks for that one only: unset it to let mlnb pick one that loads. ` : "") +
      `Reinstall mlnb (npm install brings node-sqlite3-wasm, which runs everywhere), or run the kernel on Node >= 22.13, which has node:sqlite built in (setting mlnb.nodePath).`,
  );
}

/** Open (or create) the database `file` on the chosen backend. */
export function openDatabase(file: string, options: OpenOptions = {}): SqlDatabase {
  return sqliteBackend().open(file, options);
}
