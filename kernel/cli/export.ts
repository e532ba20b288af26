// `mlnb export NB.mlnb [-o NB.pipeline.ts]` (pipeline script + lock), `--to ipynb` (a Jupyter notebook), or `--to argo|airflow|dockerfile`.
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { airflowDag, type AirflowOperator } from "../export/airflow.js";
import { argoYaml } from "../export/argo.js";
import { DOCKERIGNORE, dockerfile, projectRootOf } from "../export/dockerfile.js";
import { ExportError } from "../export/plan.js";
import { exportNotebookFiles } from "../export/files.js";
import { toIpynb } from "../export/ipynb.js";
import { NotebookFormatError, parseNotebook } from "../notebook/format.js";
import { writeFileAtomic } from "../notebook/write.js";
import { defineCommand, startCommand, usageError } from "./args.js";
import { cliInvocation } from "./onPath.js";

const SPEC = defineCommand({
  command: "export",
  usage: ["mlnb export NOTEBOOK.mlnb [-o OUT] [--to script|ipynb|argo|airflow|dockerfile] [--allow-outside]"],
  about: `--to script (default) writes a TypeScript pipeline script NOTEBOOK.pipeline.ts and its lock
NOTEBOOK.pipeline.lock.json (input hashes, params, seed, versions, expected output hashes from the
notebook's last successful run); run it with npx mlnb script NOTEBOOK.pipeline.ts [--verify].
--to ipynb writes a Jupyter notebook (nbformat 4.5) NOTEBOOK.ipynb, magics and outputs kept.
--to argo writes the script and lock plus an Argo Workflow NOTEBOOK.argo.yaml: one task per stage
(npx mlnb script NOTEBOOK.pipeline.ts --stage S) against the shared store. --to airflow writes the
script and lock plus an Airflow DAG NOTEBOOK_dag.py (same tasks). --to dockerfile writes the image
those tasks run: Dockerfile (+ .dockerignore) at the project root.`,
  options: {
    to: { type: "string", arg: "FORMAT", help: "script (default), ipynb, argo, airflow or dockerfile" },
    out: { type: "string", short: "o", arg: "FILE", help: "where to write" },
    image: { type: "string", arg: "I", help: "the tasks' container image (argo, airflow; default mlnb-NOTEBOOK:latest)" },
    retries: { type: "string", arg: "N", help: "retries of a failed task (argo, airflow; default 2)" },
    artifacts: { type: "string", arg: "R", help: "default artifact root of the workflow (s3://bucket/prefix)" },
    operator: { type: "string", arg: "O", help: "airflow: kubernetes (default, KubernetesPodOperator) or bash (BashOperator)" },
    "allow-outside": { type: "boolean", help: "hash input files outside the notebook's folder too (refused by default, as are FIFOs, devices and folders, so an untrusted notebook cannot make export read /etc/passwd or hang on a pipe)" },
  },
  positionals: { min: 1, max: 1, what: "notebook" },
});

/** Entry point of `mlnb export`. */
export async function main(argv: string[]): Promise<number> {
  const args = startCommand(SPEC, argv);
  if (typeof args === "number") return args;
  const file = args.positionals[0]!;
  const to = args.values.to ?? "script";
  const out = args.values.out;
  try {
    if (to === "ipynb") {
      const path = resolve(file);
      const nb = parseNotebook(readFileSync(path, "utf8"), file);
      const target = out ?? join(dirname(path), `${basename(path, ".mlnb")}.ipynb`);
      writeFileAtomic(target, toIpynb(nb));
      console.log(`wrote ${target}`);
      return 0;
    }
    if (to === "argo" || to === "airflow" || to === "dockerfile") {
      const values = new Map(Object.entries(args.values).filter((e): e is [string, string] => typeof e[1] === "string"));
      return await exportForScheduler(to, file, values);
    }
    if (to !== "script") return usageError(SPEC, `--to must be script, ipynb, argo, airflow or dockerfile, got ${to}`);
    const result = await exportNotebookFiles(file, out, { allowOutside: args.values["allow-outside"] === true });
    for (const w of result.warnings) console.error(`warning: ${w}`);
    console.log(`wrote ${asTyped(result.script)}\nwrote ${asTyped(result.lock)}\nrun it: ${cliInvocation()} script ${asTyped(result.script)} --verify`);
    return 0;
  } catch (e) {
    if (e instanceof ExportError) return console.error(`mlnb export: ${file} cannot be exported:\n${e.message}`), 1;
    if (e instanceof NotebookFormatError) return console.error(`mlnb export: ${e.message}`), 1;
    throw e;
  }
}

/**
 * A path as the user would type it in the folder the command ran in: relative when it is inside
 * that folder (the printed paths and command stay short and work after a copy), else absolute.
 */
export function asTyped(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

/** `--to argo|airflow|dockerfile`: the script and lock as usual, then the scheduler's file naming the script relative to the project root. */
async function exportForScheduler(to: "argo" | "airflow" | "dockerfile", file: string, values: Map<string, string>): Promise<number> {
  const path = resolve(file);
  const root = projectRootOf(path);
  const name = basename(path, ".mlnb");
  const rel = (p: string) => relative(root, p).split(sep).join("/");
  const retries = values.get("retries") === undefined ? 2 : Number(values.get("retries"));
  if (!Number.isInteger(retries) || retries < 0) return console.error(`mlnb export: --retries must be a whole number >= 0, got ${values.get("retries")}`), 2;
  const operator = (values.get("operator") ?? "kubernetes") as AirflowOperator;
  if (operator !== "kubernetes" && operator !== "bash") return console.error(`mlnb export: --operator must be kubernetes or bash, got ${operator}`), 2;
  const result = await exportNotebookFiles(file);
  for (const w of result.warnings) console.error(`warning: ${w}`);
  console.log(`wrote ${result.script}\nwrote ${result.lock}`);
  const options = { notebook: basename(path), script: rel(result.script), image: values.get("image") ?? `mlnb-${name.toLowerCase().replace(/[^a-z0-9._-]+/g, "-")}:latest`, retries, ...(values.get("artifacts") ? { artifacts: values.get("artifacts")! } : {}) };
  let target: string;
  if (to === "dockerfile") {
    target = values.get("out") ?? join(root, "Dockerfile");
    writeFileAtomic(target, dockerfile({ script: options.script }));
    const ignore = join(dirname(target), ".dockerignore");
    if (!existsSync(ignore)) writeFileAtomic(ignore, DOCKERIGNORE), console.log(`wrote ${ignore}`);
  } else if (to === "argo") {
    target = values.get("out") ?? join(dirname(path), `${name}.argo.yaml`);
    writeFileAtomic(target, argoYaml(result.plan, options));
  } else {
    target = values.get("out") ?? join(dirname(path), `${name.replace(/[^A-Za-z0-9_]+/g, "_")}_dag.py`);
    writeFileAtomic(target, airflowDag(result.plan, { ...options, operator }));
  }
  console.log(`wrote ${target}`);
  return 0;
}
