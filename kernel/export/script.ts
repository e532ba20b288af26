// Notebook -> pipeline script text: a pure function (writing files is in files.ts).
import type { Notebook } from "../notebook/format.js";
import { planExport, type ExportPlan, type StagePlan } from "./plan.js";

export interface ScriptOptions {
  /** The notebook's file name, for the header ("penguins.mlnb"). */
  notebook: string;
  /** mlnb's version, for the header. */
  version: string;
  /** The script's file name, for the how-to-run line ("penguins.pipeline.ts"). */
  scriptName: string;
  /** Hash of the local modules a stage's code imports (part of its code hash, as in the kernel). */
  modulesHash?: (code: string) => string | undefined;
}

/** The script text and the plan it came from. */
export interface ExportedScript {
  text: string;
  plan: ExportPlan;
}

/** A TypeScript identifier for a stage's function (stage names may contain "-"). */
export function stageFunctionName(stage: string): string {
  return `stage_${stage.replace(/[^A-Za-z0-9_]/g, "_")}`;
}

/**
 * Export a notebook as a pipeline script: header, hoisted imports, params with their defaults,
 * one `async function stage_NAME` per stage in run order, the `pipeline` table and `main`.
 * Pure: same notebook, same text. Throws `ExportError` when the notebook cannot be exported.
 */
export function exportScript(nb: Notebook, options: ScriptOptions): ExportedScript {
  const plan = planExport(nb, options.modulesHash);
  return { text: renderScript(plan, options), plan };
}

/** Render a plan (see `exportScript`). */
export function renderScript(plan: ExportPlan, options: ScriptOptions): string {
  const lockName = options.scriptName.replace(/\.ts$/, "") + ".lock.json";
  const out: string[] = [];
  out.push(
    `// Pipeline script exported from ${options.notebook} by mlnb ${options.version}; re-export after editing the notebook.`,
    "//",
    "// Run it (from any folder: paths are relative to this file's folder, as in the notebook):",
    `//   npx mlnb script ${options.scriptName} [-p name=value] [--stage S] [--from S] [--to S] [--verify] [--accept-changed-inputs]`,
    `// Input files are checked against ${lockName} before the first stage; --verify checks every`,
    "// tracked output's hash against the notebook's last run.",
  );
  if (plan.skipped.length) out.push(`// Cells not in the pipeline: ${plan.skipped.map((s) => `${s.cell} (${s.reason})`).join(", ")}.`);
  out.push(`import { runPipeline, type Pipeline, type StageArgs } from "mlnb/pipeline";`, ...plan.imports, "");

  out.push(`/** Params${plan.paramsCell ? ` (the %%params cell, cell ${plan.paramsCell})` : ""}; override with -p name=value. */`);
  out.push(plan.params.length ? `export const params = {\n${plan.params.map((p) => `  ${propertyName(p.name)}: ${JSON.stringify(p.value)},`).join("\n")}\n};` : "export const params = {};", "");

  for (const s of plan.stages) out.push(renderStage(s), "");

  out.push("/** The stages in run order, with what the runner needs to seed, check and record them. */");
  out.push("export const pipeline: Pipeline = {");
  out.push(`  notebook: ${JSON.stringify(options.notebook)},`);
  out.push(`  mlnb: ${JSON.stringify(options.version)},`);
  out.push("  params,");
  out.push("  stages: [");
  for (const s of plan.stages) {
    out.push("    {");
    out.push(`      name: ${JSON.stringify(s.name)},`);
    out.push(`      run: ${stageFunctionName(s.name)},`);
    out.push(`      cell: ${s.cell},`);
    out.push(`      seed: ${s.seed},`);
    out.push(`      codeHash: ${JSON.stringify(s.codeHash)},`);
    out.push(`      inputs: ${inlineJson(s.inputs)},`);
    out.push(`      params: ${inlineJson(s.params)},`);
    out.push(`      outputs: ${inlineJson(s.outputs)},`);
    out.push(`      tracked: ${inlineJson(s.tracked)},`);
    out.push(`      needs: ${inlineJson(s.needs)},`);
    out.push(`      gates: ${inlineJson(s.gates.map((g) => g.text))},`);
    out.push("    },");
  }
  out.push("  ],");
  out.push("};", "");
  out.push(
    "/** Run the pipeline with a command line (`mlnb script` calls this). Returns the exit code. */",
    "export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {",
    "  return runPipeline(pipeline, argv, { scriptUrl: import.meta.url });",
    "}",
    "",
  );
  return out.join("\n");
}

function renderStage(s: StagePlan): string {
  const args = [...Object.keys(s.inputs), ...s.params];
  const from = new Map<string, string[]>();
  for (const [name, stage] of Object.entries(s.inputs)) from.set(stage, [...(from.get(stage) ?? []), name]);
  const doc = [
    `Stage "${s.name}" (cell ${s.cell}).`,
    from.size ? `Inputs: ${[...from].map(([stage, names]) => `${names.join(", ")} from "${stage}"`).join("; ")}.` : "No inputs.",
    s.params.length ? `Params: ${s.params.join(", ")}.` : "",
    s.needs.length ? `Runs after: ${s.needs.join(", ")}.` : "",
    s.gates.length ? `Gates (checked on its logged metrics): ${s.gates.map((g) => g.text).join(", ")}.` : "",
    `Returns: ${s.outputs.join(", ") || "nothing"}.`,
  ].filter(Boolean);
  return [`/** ${doc.join(" ")} */`, `async function ${stageFunctionName(s.name)}({ ${args.join(", ")} }: StageArgs) {`, s.body, "}"].join("\n").replace("({  }: StageArgs)", "(_: StageArgs)");
}

function propertyName(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}

function inlineJson(value: unknown): string {
  const text = JSON.stringify(value);
  if (Array.isArray(value)) return text.replace(/","/g, `", "`);
  return text.replace(/^\{(.+)\}$/, "{ $1 }").replace(/","/g, `", "`).replace(/":"/g, `": "`);
}
