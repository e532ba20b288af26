// Notebook -> an Airflow DAG file: one task per stage (KubernetesPodOperator, or BashOperator) running the exported script for that stage.
import type { ParamValue } from "../magics/paramValues.js";
import { STORE_SECRET } from "./argo.js";
import type { ExportPlan } from "./plan.js";
import { stageTasks, taskCommand, type TaskOptions } from "./tasks.js";

/** Which Airflow operator runs a stage: a pod from the image, or a shell where mlnb is installed. */
export type AirflowOperator = "kubernetes" | "bash";

/** A JSON-like value as a Python literal. */
export function pyLiteral(v: ParamValue | undefined): string {
  if (v === null || v === undefined) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : `float(${JSON.stringify(String(v))})`;
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(pyLiteral).join(", ")}]`;
  return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${pyLiteral(x)}`).join(", ")}}`;
}

/** A word quoted for bash unless it is plain (Jinja `{{ ... }}` is kept inside double quotes). */
function shellWord(w: string): string {
  return /^[\w./=:,@+-]+$/.test(w) ? w : `"${w.replace(/(["\\$`])/g, "\\$1")}"`;
}

/** A Python identifier for a task variable. */
const pyName = (task: string) => `stage_${task.replace(/-/g, "_")}`;

/**
 * The DAG file's text (pure). Params become DAG params (`-p name={{ params.name }}`, overridable
 * when triggering), dependencies follow the stage graph, each task retries `retries` times. With
 * the Kubernetes operator each pod gets MLNB_STORE (and optional AWS_* keys) from the secret
 * `mlnb-store` and MLNB_ARTIFACTS from the `mlnb_artifacts` param.
 */
export function airflowDag(plan: ExportPlan, o: TaskOptions & { artifacts?: string; operator?: AirflowOperator }): string {
  const operator = o.operator ?? "kubernetes";
  const dagId = o.notebook.replace(/\.mlnb$/, "").replace(/[^A-Za-z0-9_.-]+/g, "_") || "pipeline";
  const tasks = stageTasks(plan);
  const ref = (p: string) => `{{ params.${p} }}`;
  const L: string[] = [
    `"""Airflow DAG of ${o.notebook}, written by mlnb export --to airflow: one task per stage.`,
    "",
    `Each task runs the exported script for one stage against the shared run store (MLNB_STORE: postgres://...,`,
    `MLNB_ARTIFACTS: a shared folder or s3://bucket/prefix), so tasks may run on different workers.`,
    `"""`,
    "from datetime import timedelta",
    "",
    "import pendulum",
    "from airflow import DAG",
    "from airflow.models.param import Param",
  ];
  if (operator === "kubernetes") {
    L.push(
      "from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator",
      "from airflow.providers.cncf.kubernetes.secret import Secret",
      "from kubernetes.client import models as k8s",
      "",
      `IMAGE = ${JSON.stringify(o.image)}`,
      "STORE_SECRETS = [",
      `    Secret("env", "MLNB_STORE", ${JSON.stringify(STORE_SECRET)}, "url"),`,
      ...["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_ENDPOINT_URL"].map((k) => `    Secret("env", ${JSON.stringify(k)}, ${JSON.stringify(STORE_SECRET)}, ${JSON.stringify(k)}),`),
      "]",
    );
  } else {
    L.push("from airflow.operators.bash import BashOperator", "", `# Runs in the project folder on the worker (npm ci done there); MLNB_STORE comes from the worker's environment.`, `PROJECT = "/app"`);
  }
  L.push(
    "",
    "with DAG(",
    `    dag_id=${JSON.stringify(dagId)},`,
    "    schedule=None,",
    "    start_date=pendulum.datetime(2026, 1, 1, tz=\"UTC\"),",
    "    catchup=False,",
    `    default_args={"retries": ${o.retries ?? 2}, "retry_delay": timedelta(seconds=30)},`,
    "    params={",
    ...plan.params.map((p) => `        ${JSON.stringify(p.name)}: Param(${pyLiteral(p.value)}),`),
    `        "mlnb_artifacts": Param(${JSON.stringify(o.artifacts ?? "s3://mlnb/artifacts")}),`,
    "    },",
    `    tags=["mlnb"],`,
    ") as dag:",
  );
  for (const t of tasks) {
    const cmd = taskCommand(o.script, t, ref);
    if (operator === "kubernetes") {
      L.push(
        `    ${pyName(t.task)} = KubernetesPodOperator(`,
        `        task_id=${JSON.stringify(t.task)},`,
        `        name=${JSON.stringify(`mlnb-${t.task}`)},`,
        "        image=IMAGE,",
        `        cmds=${pyLiteral(cmd.slice(0, 1))},`,
        `        arguments=${pyLiteral(cmd.slice(1))},`,
        `        env_vars={"MLNB_ARTIFACTS": "{{ params.mlnb_artifacts }}", "MLNB_RUN_SOURCE": "airflow"},`,
        "        secrets=STORE_SECRETS,",
        ...(t.resources ? [`        container_resources=k8s.V1ResourceRequirements(requests=${pyLiteral(t.resources)}),`] : []),
        "    )",
      );
    } else {
      L.push(
        `    ${pyName(t.task)} = BashOperator(`,
        `        task_id=${JSON.stringify(t.task)},`,
        `        bash_command=${JSON.stringify(`cd "$PROJECT" && MLNB_ARTIFACTS="{{ params.mlnb_artifacts }}" ${cmd.map(shellWord).join(" ")}`)},`,
        `        env={"PROJECT": PROJECT, "MLNB_RUN_SOURCE": "airflow"},`,
        "        append_env=True,",
        "    )",
      );
    }
  }
  L.push("");
  for (const t of tasks) if (t.after.length) L.push(`    [${t.after.map(pyName).join(", ")}] >> ${pyName(t.task)}`);
  return `${L.join("\n")}\n`;
}
