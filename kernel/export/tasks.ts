// One task per stage for outside schedulers (Argo, Airflow): its name, upstream tasks and the command it runs.
import type { ParamDef } from "../magics/paramValues.js";
import type { ExportPlan } from "./plan.js";

/** What every scheduler export needs to know besides the plan. */
export interface TaskOptions {
  /** The notebook's file name (names the workflow or DAG). */
  notebook: string;
  /** The pipeline script, relative to the image's working folder (the project root). */
  script: string;
  /** Container image the tasks run (built from `--to dockerfile`). */
  image: string;
  /** Retries of a failed task (default 2). */
  retries?: number;
}

/** One stage as a scheduler task. */
export interface StageTask {
  stage: string;
  /** A DNS-1123-style task name (Kubernetes and Argo names: lower case, digits, "-"). */
  task: string;
  /** Task names this one waits for. */
  after: string[];
  /** Params the stage reads (each passed as `-p name=VALUE`). */
  params: string[];
  resources?: Record<string, string>;
}

/** A stage name as a task name: `train_model` -> `train-model`. Two stages mapping to one name are told apart by a suffix. */
function taskNames(stages: string[]): Map<string, string> {
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const s of stages) {
    const base = s.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "") || "stage";
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
    used.add(name);
    names.set(s, name);
  }
  return names;
}

/** The plan's stages as tasks, with each stage's upstream stages (inputs and `--needs`) as dependencies. */
export function stageTasks(plan: ExportPlan): StageTask[] {
  const names = taskNames(plan.stages.map((s) => s.name));
  return plan.stages.map((s) => ({
    stage: s.name,
    task: names.get(s.name)!,
    after: [...new Set([...Object.values(s.inputs), ...s.needs])].map((d) => names.get(d)!).filter(Boolean),
    params: s.params,
    ...(s.resources ? { resources: s.resources } : {}),
  }));
}

/**
 * The command a task runs: the exported script for one stage against the shared store (the
 * store and artifact root come from MLNB_STORE and MLNB_ARTIFACTS in the task's environment),
 * its params as `-p name=REF` where `ref(name)` is the scheduler's parameter reference.
 */
export function taskCommand(script: string, task: StageTask, ref: (param: string) => string): string[] {
  return ["npx", "mlnb", "script", script, "--stage", task.stage, ...task.params.flatMap((p) => ["-p", `${p}=${ref(p)}`])];
}

/** A param's default as the text `-p` takes (strings as they are, other values as JSON). */
export function paramText(p: ParamDef): string {
  return typeof p.value === "string" ? p.value : JSON.stringify(p.value);
}
