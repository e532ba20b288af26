// Writing an export: the script and its lock beside the notebook (the only part of kernel/export that touches disk).
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { localModuleFiles, localModulesHash } from "../exec/localModules.js";
import { parseNotebook } from "../notebook/format.js";
import { stringifySorted } from "../json/stringify.js";
import { writeFileAtomic } from "../notebook/write.js";
import { notebookKey, openStore, storeDirFor } from "../stages/store/store.js";
import { isSharedStore } from "../stages/store/shared/store.js";
import type { RunDetail } from "../stages/store/types.js";
import { lockNameFor, type LockInput, type PipelineLock } from "../pipeline/types.js";
import { defaultBackend, installedVersions } from "../pipeline/versions.js";
import { hashInputFile, InputFileError } from "../pipeline/inputs.js";
import { packageVersion } from "../version.js";
import { findInputFiles } from "./inputFiles.js";
import { buildLock } from "./lock.js";
import { ExportError, type ExportPlan } from "./plan.js";
import { exportScript } from "./script.js";

export interface ExportResult {
  /** Path of the written script. */
  script: string;
  /** Path of the written lock file. */
  lock: string;
  lockData: PipelineLock;
  plan: ExportPlan;
  /** Things the user should know (stages without expected hashes, input files not found...). */
  warnings: string[];
}

/** The default script path of a notebook: `NB.pipeline.ts` beside it. */
export function defaultScriptPath(notebookPath: string): string {
  return join(dirname(notebookPath), `${basename(notebookPath, ".mlnb")}.pipeline.ts`);
}

/** The run store folder of a notebook (MLNB_STORE when set, else `.mlnb/` beside it). */
export const storeDirOf = storeDirFor;

/**
 * The notebook's latest run that ended "ok", or is still open (a kernel session records into one
 * run until it closes, so `%export` sees the stages run so far), and ran at least one stage.
 * Undefined without a store.
 */
export function lastSuccessfulRun(notebookPath: string, storeDir = storeDirOf(notebookPath)): RunDetail | undefined {
  if (!isSharedStore(storeDir) && !existsSync(join(storeDir, "runs.sqlite"))) return undefined;
  const store = openStore({ dir: storeDir });
  try {
    for (const summary of store.listRuns({ notebook: notebookKey(notebookPath) })) {
      if ((summary.status !== "ok" && summary.status !== "running") || summary.stages === 0) continue;
      return store.getRun(summary.id);
    }
    return undefined;
  } finally {
    store.close();
  }
}

/**
 * The files the plan's stages read (found statically, see inputFiles.ts), with sha256, paths
 * relative to the notebook's folder. Files that do not exist are reported in `missing`. Only
 * regular files inside the notebook's folder tree are read (`allowOutside` lifts the folder
 * rule); any other path throws ExportError naming it and why.
 */
export function hashInputs(plan: ExportPlan, notebookDir: string, allowOutside = false): { inputs: LockInput[]; missing: string[] } {
  const params = Object.fromEntries(plan.params.map((p) => [p.name, p.value]));
  const byPath = new Map<string, LockInput>();
  const missing: string[] = [];
  for (const s of plan.stages) {
    // Local modules the stage imports are inputs too: the script refuses an edited helper like an edited data file.
    for (const written of [...findInputFiles(s.code, params), ...localModuleFiles(s.code, notebookDir)]) {
      const abs = resolve(notebookDir, written);
      const path = relative(notebookDir, abs).split(sep).join("/");
      const seen = byPath.get(path);
      if (seen) {
        if (!seen.stages.includes(s.name)) seen.stages.push(s.name);
        continue;
      }
      let got;
      try {
        got = hashInputFile(abs, notebookDir, written, allowOutside);
      } catch (e) {
        if (e instanceof InputFileError) throw new ExportError([`stage "${s.name}" reads ${e.message}`]);
        throw e;
      }
      if (!got) {
        missing.push(`stage "${s.name}" reads ${written}, which does not exist`);
        continue;
      }
      byPath.set(path, { path, sha256: got.sha256, bytes: got.bytes, stages: [s.name] });
    }
  }
  return { inputs: [...byPath.values()], missing };
}

/**
 * Export `notebookPath` as a pipeline script plus `NB.pipeline.lock.json` beside the script
 * (default `NB.pipeline.ts` beside the notebook). The expected hashes come from the notebook's
 * last successful run in its store. Throws `ExportError` when the notebook cannot be exported;
 * the `%export [path]` magic, `mlnb export` and the VS Code command all call this.
 */
export async function exportNotebookFiles(notebookPath: string, outPath?: string, options: { allowOutside?: boolean } = {}): Promise<ExportResult> {
  const nbPath = resolve(notebookPath);
  const scriptPath = resolve(outPath ?? defaultScriptPath(nbPath));
  const nb = parseNotebook(readFileSync(nbPath, "utf8"), basename(nbPath));
  const version = packageVersion();
  const notebookDir = dirname(nbPath);
  const { text, plan } = exportScript(nb, { notebook: basename(nbPath), version, scriptName: basename(scriptPath), modulesHash: (code) => localModulesHash(code, notebookDir) });
  const { inputs, missing } = hashInputs(plan, notebookDir, options.allowOutside);
  const backend = /\.setBackend\(\s*["'`](\w+)["'`]/.exec(plan.stages.map((s) => s.code).join("\n"))?.[1] ?? defaultBackend();
  const run = lastSuccessfulRun(nbPath);
  const { lock, warnings } = buildLock(plan, {
    notebook: basename(nbPath),
    notebookDir: relative(dirname(scriptPath), notebookDir).split(sep).join("/") || ".",
    ...(run ? { run } : {}),
    inputs,
    versions: installedVersions(backend),
  });
  const lockPath = join(dirname(scriptPath), lockNameFor(basename(scriptPath)));
  writeFileAtomic(scriptPath, text);
  writeFileAtomic(lockPath, stringifySorted(lock, 2) + "\n");
  return { script: scriptPath, lock: lockPath, lockData: lock, plan, warnings: [...plan.warnings, ...missing, ...warnings] };
}
