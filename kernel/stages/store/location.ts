// Where a run store lives: MLNB_STORE (or --store) resolved one way for every command, else `.mlnb/` beside the notebook.
import { dirname, join, resolve } from "node:path";

/** A `postgres://` (or `postgresql://`) location: run records in PostgreSQL, blobs under MLNB_ARTIFACTS. */
export function isSharedStore(location: string): boolean {
  return /^postgres(ql)?:\/\//.test(location);
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}

/** A store location as given: a folder resolved to an absolute path (against `base`, default the current folder), a URL kept. */
export function resolveStoreLocation(location: string, base: string = process.cwd()): string {
  return isSharedStore(location) ? location : resolve(base, location);
}

/**
 * MLNB_STORE as an absolute location, or undefined when unset or empty. A relative folder is taken
 * from the folder the command was started in (the shell's), never the notebook's: clients resolve it
 * before they start a kernel (see `kernelEnv`), so `run`, `runs`, `export`, `script` and `gc` agree.
 */
export function storeFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env.MLNB_STORE?.trim();
  return value ? resolveStoreLocation(value) : undefined;
}

/** The store folder of a notebook: MLNB_STORE when set, else `.mlnb/` beside the notebook. */
export function storeDirFor(notebookPath: string): string {
  return storeFromEnv() ?? join(dirname(notebookPath), ".mlnb");
}

/**
 * A folder for what a notebook's processes derive and keep (type checks, cell analyses): `name` in
 * its store folder, or in `.mlnb/` beside the notebook when the store is shared (a database).
 */
export function localCacheDir(notebookPath: string, name: string, store: string = storeDirFor(notebookPath)): string {
  return join(isSharedStore(store) ? join(dirname(notebookPath), ".mlnb") : store, name);
}

/** The environment a client gives its kernel: MLNB_STORE made absolute here (the kernel runs in the notebook's folder). */
export function kernelEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const store = storeFromEnv(env);
  const out = { ...env };
  if (store) out.MLNB_STORE = store;
  else delete out.MLNB_STORE;
  return out;
}
