// `runPipeline`: the command line of an exported script: params, selection, input check, run store, --verify.
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineCommand, startCommand } from "../cli/args.js";
import type { ParamDef, ParamValue } from "../magics/paramValues.js";
import { createLibraryCodecs } from "../stages/libraryCodecs.js";
import { notebookKey, openStore, resolveStoreLocation, storeDirFor } from "../stages/store/store.js";
import { executeStages } from "./execute.js";
import { checkInputs, recordFileReads } from "./inputs.js";
import { selectStages, SelectionError, type Selection } from "./select.js";
import { LockError, lockMismatches, readLock } from "./lock.js";
import { lockNameFor, type Pipeline, type PipelineLock } from "./types.js";
import { installedVersions, PACKAGE_ROOT, versionChanges } from "./versions.js";

/** The options of an exported script (`mlnb script NB.pipeline.ts ...` or `npx tsx NB.pipeline.ts ...`). */
export const SCRIPT_SPEC = defineCommand({
  command: "script",
  usage: ["mlnb script NB.pipeline.ts [options]"],
  about: `Runs an exported pipeline: every stage in order (or a selection), seeded as in the notebook,
outputs recorded in the run store beside the script (.mlnb/, or MLNB_STORE).`,
  options: {
    stage: { type: "string", arg: "S", help: "run stage S only (upstream outputs come from the store)" },
    from: { type: "string", arg: "S", help: "run S and what is downstream of it" },
    to: { type: "string", arg: "S", help: "run S and what is upstream of it" },
    verify: { type: "boolean", help: "fail unless every tracked output's hash equals the lock's" },
    "accept-changed-inputs": { type: "boolean", help: "run even if an input file differs from the lock (and say so)" },
    store: { type: "string", arg: "DIR|URL", help: "run store folder, or postgres://... (blobs under MLNB_ARTIFACTS)" },
    quiet: { type: "boolean", help: "print only failures and the summary" },
  },
  params: true,
  positionals: { min: 0, max: 0, what: "argument" },
});

export interface RunOptions {
  /** The script's `import.meta.url`: paths are relative to its folder, wherever the command runs. */
  scriptUrl: string;
  /** Where lines go (default console.log / console.error). */
  out?: (line: string) => void;
  err?: (line: string) => void;
}

/** Run an exported pipeline with a command line; returns the exit code (0 ok, 1 failed, 2 usage). */
export async function runPipeline(pipeline: Pipeline, argv: string[], options: RunOptions): Promise<number> {
  const out = options.out ?? ((l: string) => console.log(l));
  const err = options.err ?? ((l: string) => console.error(l));
  const args = startCommand(SCRIPT_SPEC, argv, { out, err });
  if (typeof args === "number") return args;
  const quiet = args.values.quiet === true;
  const log = quiet ? () => {} : out;

  const scriptPath = fileURLToPath(options.scriptUrl);
  const scriptDir = dirname(scriptPath);
  const lockPath = join(scriptDir, lockNameFor(basename(scriptPath)));
  let lock: PipelineLock | undefined;
  try {
    lock = existsSync(lockPath) ? readLock(lockPath) : undefined;
  } catch (e) {
    if (e instanceof LockError) return err(`mlnb script: ${e.message}`), 1;
    throw e;
  }
  const verify = args.values.verify === true;
  if (!lock && verify) return err(`mlnb script: --verify needs the lock ${lockPath}, which does not exist (export the notebook again)`), 1;
  if (!lock) err(`warning: no lock file ${basename(lockPath)}: input files are not checked`);
  const workDir = resolve(scriptDir, lock?.notebookDir ?? ".");

  let params = pipeline.params as Record<string, ParamValue>;
  if (Object.keys(args.params).length) {
    // The kernel's coercion rules; loaded only when needed, since it brings the TypeScript parser.
    const { applyParamOverrides, typeOfParam } = await import("../magics/paramValues.js");
    const defs: ParamDef[] = Object.entries(pipeline.params).map(([name, value]) => ({ name, type: typeOfParam(value as ParamValue), value: value as ParamValue, line: 0, column: 0, start: 0, end: 0 }));
    const applied = applyParamOverrides(defs, args.params);
    if (!applied.ok) return err(`mlnb script: ${applied.errors.join("\n")}`), 2;
    params = applied.values;
  }

  let selection: Selection;
  try {
    selection = selectStages(pipeline, { stage: args.values.stage, from: args.values.from, to: args.values.to });
  } catch (e) {
    if (!(e instanceof SelectionError)) throw e;
    return err(`mlnb script: ${e.message}`), 2;
  }
  const running = [...selection.selected, ...selection.upstream];
  const byName = new Map(pipeline.stages.map((s) => [s.name, s]));

  if (verify && lock) {
    const problems: string[] = [];
    for (const name of selection.selected) {
      const locked = lock.stages[name];
      const stage = byName.get(name)!;
      if (!locked) problems.push(`stage ${name} is not in the lock: export the notebook again`);
      else if (locked.codeHash !== stage.codeHash) problems.push(`stage ${name}: the script's code hash ${stage.codeHash.slice(0, 12)} differs from the lock's ${locked.codeHash.slice(0, 12)}: export again`);
      else if (!locked.outputs) problems.push(`stage ${name} cannot be verified: ${locked.unverifiable ?? "the lock has no expected outputs"}`);
      for (const p of stage.params) {
        if (p in lock.params && JSON.stringify(lock.params[p]) !== JSON.stringify(params[p])) problems.push(`stage ${name} reads param ${p} = ${JSON.stringify(params[p])}, but the locked run used ${JSON.stringify(lock.params[p])} (pass -p ${p}=${JSON.stringify(lock.params[p])})`);
      }
    }
    if (problems.length) return err(`mlnb script: --verify: ${[...new Set(problems)].join("\n")}`), 1;
  }

  if (lock) {
    const wanted = lock.inputs.filter((i) => !i.stages?.length || i.stages.some((s) => running.includes(s)));
    const problems: { message: string }[] = [...checkInputs(wanted, workDir), ...lockMismatches(pipeline, lock).map((message) => ({ message }))];
    for (const p of problems) err(p.message);
    if (problems.length && args.values["accept-changed-inputs"] !== true) return err("mlnb script: inputs, seed or params differ from the lock; stopping before the first stage (--accept-changed-inputs runs anyway)"), 1;
    if (problems.length) err(`running anyway with ${problems.length} changed input${problems.length > 1 ? "s" : ""} (--accept-changed-inputs)`);
    const changes = versionChanges(lock.versions, installedVersions(lock.versions.tfjsBackend));
    if (changes.length) err(`warning: versions differ from the lock (${changes.join(", ")}): hashes may differ`);
  }

  const storeDir = args.values.store ?? storeDirFor(scriptPath);
  const codecs = createLibraryCodecs();
  const store = openStore({ dir: resolveStoreLocation(storeDir), codecs });
  const runId = store.beginRun({ notebook: notebookKey(scriptPath), seed: pipeline.stages[0]?.seed ?? 0, params, source: "script" });
  const previousCwd = process.cwd();
  process.chdir(workDir);
  let current: string | undefined;
  const started = performance.now();
  const startedAt = Date.now();
  try {
    const { value: result, reads } = await recordFileReads(workDir, PACKAGE_ROOT, () => current, () =>
      executeStages({ stages: pipeline.stages, ...selection, params, store, runId, codecs, ...(verify && lock ? { verify: lock } : {}), log, onStage: (s) => (current = s) }),
    );
    const locked = new Set(lock?.inputs.map((i) => i.path) ?? []);
    // A file written during this run (a model bundle read back) is an output, not an input.
    const writtenNow = (path: string) => {
      try {
        return statSync(resolve(workDir, path)).mtimeMs >= startedAt;
      } catch {
        return false;
      }
    };
    for (const r of reads) if (!locked.has(r.path) && !writtenNow(r.path)) err(`warning: stage ${r.stage} read ${r.path}, which is not in the lock (a path computed at run time?): its content is not checked`);
    store.endRun(runId, result.ok ? "ok" : "error");
    if (!result.ok) return err(`mlnb script: ${result.failure}`), 1;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    out(`mlnb script: ${selection.selected.length} stage${selection.selected.length === 1 ? "" : "s"} ran in ${seconds} s (run ${runId})${verify ? `; verified ${result.verified} output hash${result.verified === 1 ? "" : "es"} against the lock` : ""}`);
    for (const [stage, m] of Object.entries(result.metrics)) out(`  ${stage}: ${Object.entries(m).map(([k, v]) => `${k}=${v}`).join(", ")}`);
    return 0;
  } catch (e) {
    store.endRun(runId, "error");
    throw e;
  } finally {
    process.chdir(previousCwd);
    store.close();
  }
}
