// `mlnb gc`: free a run store of runs no one keeps and of blobs no kept run needs, printing what it freed.
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { formatBytes } from "../stages/format.js";
import { collectGarbage, DEFAULT_GRACE_MS, DEFAULT_KEEP, type GcResult } from "../stages/store/gc.js";
import { isSharedStore, openStore, storeFromEnv } from "../stages/store/index.js";
import { LockError } from "../pipeline/lock.js";
import { lockedRuns } from "../pipeline/lockScan.js";
import { consoleIo, defineCommand, EXIT, startCommand, usageError, type Io } from "./args.js";

const SPEC = defineCommand({
  command: "gc",
  usage: ["mlnb gc [PATH...] [--keep N] [--dry-run] [--store DIR] [--grace SECONDS] [--json]"],
  about: `Removes the runs of a run store that are not kept, then every blob no kept run needs, and
prints what it freed. Kept: the ${DEFAULT_KEEP} newest runs of each notebook (--keep N), its newest
successful run, runs still running, the runs kept runs' cached stages came from, and every run a
pipeline lock file (*.lock.json, written by mlnb export) names. Lock files are searched under
each PATH (a folder, a notebook's folder or a lock file; default the current folder). The store
is --store, else MLNB_STORE, else .mlnb/ in the first PATH's folder.
Blobs written or used in the last --grace seconds (default ${DEFAULT_GRACE_MS / 1000}) stay, so a run going on
meanwhile loses nothing; a kill mid-gc leaves every kept run whole. With a postgres:// store its
records are collected and its blobs under a shared folder (MLNB_ARTIFACTS); blobs in S3 are
left to the bucket's lifecycle rules.`,
  options: {
    keep: { type: "string", arg: "N", help: `keep the N newest runs of each notebook (default ${DEFAULT_KEEP})` },
    "dry-run": { type: "boolean", help: "print what would be removed, remove nothing" },
    store: { type: "string", arg: "DIR", help: "the run store folder or postgres:// URL" },
    grace: { type: "string", arg: "SECONDS", help: `keep blobs written or used this recently (default ${DEFAULT_GRACE_MS / 1000})` },
    json: { type: "boolean", help: "print the result as JSON" },
  },
});

/** Run `mlnb gc` with injected output; returns the exit code. */
export async function gcCommand(argv: string[], io: Io = consoleIo): Promise<number> {
  const parsed = startCommand(SPEC, argv, io);
  if (typeof parsed === "number") return parsed;
  const { values } = parsed;
  const keep = values.keep === undefined ? DEFAULT_KEEP : Number(values.keep);
  if (!/^\d+$/.test(values.keep ?? "0")) return usageError(SPEC, `option --keep must be a whole number of runs, got "${values.keep}"`, io);
  if (!/^\d+(\.\d+)?$/.test(values.grace ?? "0")) return usageError(SPEC, `option --grace must be a number of seconds, got "${values.grace}"`, io);
  const grace = values.grace === undefined ? DEFAULT_GRACE_MS / 1000 : Number(values.grace);
  const paths = parsed.positionals.length ? parsed.positionals : ["."];
  const missing = paths.find((p) => !existsSync(p));
  if (missing !== undefined) return usageError(SPEC, `no such file or folder: ${missing}`, io);
  const first = resolve(paths[0]!);
  const dir = values.store ?? storeFromEnv() ?? join(statSync(first).isDirectory() ? first : dirname(first), ".mlnb");
  if (!isSharedStore(dir) && !existsSync(join(dir, "runs.sqlite"))) {
    io.err(`mlnb gc: no run store at ${dir} (nothing to collect; pass --store DIR or a notebook's folder)`);
    return EXIT.failure;
  }
  let locked;
  try {
    // a notebook stands for its folder, where its export writes the lock
    locked = lockedRuns(paths.map((p) => (statSync(p).isDirectory() || p.endsWith(".json") ? p : dirname(p))));
  } catch (e) {
    if (!(e instanceof LockError)) throw e;
    io.err(`mlnb gc: ${e.message}; nothing was removed (a lock that does not read may name a run to keep)`);
    return EXIT.failure;
  }
  const store = openStore({ dir: isSharedStore(dir) ? dir : resolve(dir) });
  try {
    const result = collectGarbage(store, { keep, locked, dryRun: values["dry-run"] === true, graceMs: grace * 1000 });
    if (values.json) io.out(JSON.stringify(result, null, 2));
    else report(result, dir).forEach((l) => io.out(l));
    return EXIT.ok;
  } finally {
    store.close();
  }
}

/** The lines `mlnb gc` prints: runs kept (locked ones named), runs removed, blobs freed. */
export function report(r: GcResult, dir: string): string[] {
  const would = r.dryRun ? "would " : "";
  const lines = [`run store ${dir}${r.dryRun ? " (dry run: nothing removed)" : ""}`];
  const locked = r.kept.filter((k) => k.because === "locked");
  lines.push(`kept ${r.kept.length} run${r.kept.length === 1 ? "" : "s"}${locked.length ? `, of which locked: ${locked.map((k) => `${k.id} (${k.lock})`).join(", ")}` : ""}`);
  lines.push(r.removed.length ? `${would}remove ${r.removed.length} run${r.removed.length === 1 ? "" : "s"}: ${r.removed.map((x) => x.id).join(", ")}` : "no runs to remove");
  if (r.blobsNotSwept) lines.push(r.blobsNotSwept);
  else lines.push(`${r.dryRun ? "would free" : "freed"} ${r.blobsRemoved} blob${r.blobsRemoved === 1 ? "" : "s"}, ${formatBytes(r.bytesFreed)}; ${r.blobsKept} kept${r.blobsRecent ? ` (${r.blobsRecent} only because written or used within --grace)` : ""}`);
  return lines;
}

/** Entry point for `mlnb gc` (kernel/cli.ts dispatches here); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  return gcCommand(argv);
}
