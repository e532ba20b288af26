// `mlnb runs`: list a notebook's runs with params and metrics; `mlnb runs diff A B` compares two runs.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { formatTime } from "../stages/format.js";
import { defineCommand, startCommand, usageError, type Io } from "./args.js";
import { isSharedStore } from "../stages/store/shared/store.js";
import { diffRuns, notebookKey, openStore, storeDirFor, storeFromEnv, type Change, type RunDiff, type RunSummary } from "../stages/store/index.js";

const SPEC = defineCommand({
  command: "runs",
  usage: ["mlnb runs [NB.mlnb] [--store DIR] [--limit N] [--json]", "mlnb runs diff A B [NB.mlnb] [--store DIR] [--json]"],
  about: `Lists the runs recorded in the notebook's run store (default: .mlnb/ beside the notebook,
or ./.mlnb without a notebook), newest first, with their params and metrics.
\`diff\` shows what changed from run A to run B: params, stage code, output hashes, metrics.`,
  options: {
    store: { type: "string", arg: "DIR", help: "the run store folder" },
    limit: { type: "string", arg: "N", help: "list at most N runs" },
    json: { type: "boolean", help: "print JSON instead of a table" },
  },
});

export type { Io };

/** Run the command with injected output; returns the exit code (0 ok, 1 failure, 2 usage). */
export async function runsCommand(argv: string[], io: Io): Promise<number> {
  const parsed = startCommand(SPEC, argv, io);
  if (typeof parsed === "number") return parsed;
  const limit = parsed.values.limit;
  if (limit !== undefined && !/^[1-9]\d*$/.test(limit)) return usageError(SPEC, `option --limit must be a positive integer, got "${limit}"`, io);
  const args = { positional: parsed.positionals, store: parsed.values.store, limit: limit === undefined ? undefined : Number(limit), json: parsed.values.json === true };
  const isDiff = args.positional[0] === "diff";
  const rest = isDiff ? args.positional.slice(1) : args.positional;
  const ids = isDiff ? rest.slice(0, 2) : [];
  const notebook = isDiff ? rest[2] : rest[0];
  if ((isDiff && (ids.length < 2 || rest.length > 3)) || (!isDiff && rest.length > 1)) {
    return usageError(SPEC, isDiff ? "diff needs two run ids" : `unexpected argument "${rest[1]}"`, io);
  }
  const dir = args.store ?? (notebook ? storeDirFor(notebook) : (storeFromEnv() ?? ".mlnb"));
  if (!isSharedStore(dir) && !existsSync(join(dir, "runs.sqlite"))) {
    io.err(`mlnb runs: no run store at ${dir} (run the notebook first, or pass --store DIR)`);
    return 1;
  }
  const store = openStore({ dir });
  try {
    if (isDiff) {
      const [a, b] = ids.map((id) => (/^\d+$/.test(id) ? store.getRun(Number(id)) : undefined));
      const missing = ids.find((id, i) => ![a, b][i]);
      if (missing !== undefined) {
        io.err(`mlnb runs diff: no run "${missing}" in ${dir} (see mlnb runs)`);
        return 1;
      }
      const diff = diffRuns(a!, b!);
      if (args.json) io.out(JSON.stringify(diff, null, 2));
      else formatDiff(diff).forEach((l) => io.out(l));
      return 0;
    }
    const runs = store.listRuns({ ...(notebook ? { notebook: notebookKey(notebook) } : {}), ...(args.limit ? { limit: args.limit } : {}) });
    if (args.json) io.out(JSON.stringify(runs, null, 2));
    else if (runs.length === 0) io.out(`no runs${notebook ? ` of ${notebookKey(notebook)}` : ""} in ${dir}`);
    else formatTable(runs, !notebook).forEach((l) => io.out(l));
    return 0;
  } finally {
    store.close();
  }
}

/** Entry point for `mlnb runs` (kernel/cli.ts dispatches here); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  return runsCommand(argv, { out: (l) => console.log(l), err: (l) => console.error(l) });
}

/** Runs as an aligned text table: run, started, status, stages, params, metrics. */
export function formatTable(runs: readonly RunSummary[], withNotebook = false): string[] {
  const header = ["run", ...(withNotebook ? ["notebook"] : []), "started", "status", "stages", "params", "metrics"];
  const rows = runs.map((r) => [
    String(r.id),
    ...(withNotebook ? [r.notebook] : []),
    formatTime(r.startedAt),
    r.status,
    `${r.stages}${r.cached ? ` (${r.cached} cached)` : ""}${r.failed ? ` (${r.failed} failed)` : ""}`,
    Object.entries(r.params).map(([k, v]) => `${k}=${formatValue(v)}`).join(" "),
    Object.entries(r.metrics).map(([k, v]) => `${k}=${formatValue(v)}`).join(" "),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}

/** A run diff as indented sections; only what changed is listed. */
export function formatDiff(diff: RunDiff): string[] {
  const lines = [`run ${diff.a} -> run ${diff.b}`];
  const section = <T>(title: string, changes: Change<T>[], show: (v: T | undefined) => string, extra?: (c: Change<T>) => string) => {
    if (!changes.length) return;
    lines.push(`${title}:`);
    for (const c of changes) lines.push(`  ${c.key}: ${show(c.a)} -> ${show(c.b)}${extra ? extra(c) : ""}`);
  };
  const hash = (h: string | undefined) => (h === undefined ? "(none)" : /^[0-9a-f]{64}$/.test(h) ? h.slice(0, 12) : h);
  section("params", diff.params, (v) => (v === undefined ? "(unset)" : formatValue(v)));
  section("code", diff.code, hash);
  section("outputs", diff.outputs, hash);
  section("metrics", diff.metrics, (v) => (v === undefined ? "(none)" : formatValue(v)), (c) => (c.a !== undefined && c.b !== undefined ? ` (${c.b >= c.a ? "+" : ""}${formatValue(c.b - c.a)})` : ""));
  if (lines.length === 1) lines.push("no differences");
  return lines;
}

function formatValue(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
  return typeof v === "string" ? v : JSON.stringify(v);
}
