// Notebook -> an Argo Workflows `Workflow`: a DAG with one task per stage running the exported script for that stage.
import yaml from "js-yaml";
import type { ExportPlan } from "./plan.js";
import { paramText, stageTasks, taskCommand, type TaskOptions } from "./tasks.js";

/** Kubernetes objects the workflow refers to for the shared store (documented in the README). */
export const STORE_SECRET = "mlnb-store";

/**
 * The workflow as an object (pure: plan in, object out). Each task's container gets MLNB_STORE
 * from the secret `mlnb-store` (key `url`: `postgres://...`), MLNB_ARTIFACTS from the workflow
 * parameter `mlnb-artifacts`, and AWS_* variables from the same secret when present (optional
 * keys), so tasks on any node share one store; `%%params` become workflow parameters.
 */
export function argoWorkflow(plan: ExportPlan, o: TaskOptions & { artifacts?: string }): Record<string, unknown> {
  const base = o.notebook.replace(/\.mlnb$/, "").toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "") || "pipeline";
  const tasks = stageTasks(plan);
  const awsKeys = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_ENDPOINT_URL"];
  const env = [
    { name: "MLNB_STORE", valueFrom: { secretKeyRef: { name: STORE_SECRET, key: "url" } } },
    { name: "MLNB_ARTIFACTS", value: "{{workflow.parameters.mlnb-artifacts}}" },
    ...awsKeys.map((k) => ({ name: k, valueFrom: { secretKeyRef: { name: STORE_SECRET, key: k, optional: true } } })),
    { name: "MLNB_RUN_SOURCE", value: "argo" },
  ];
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Workflow",
    metadata: { generateName: `${base}-`, labels: { "mlnb/notebook": base } },
    spec: {
      entrypoint: "pipeline",
      arguments: {
        parameters: [
          ...plan.params.map((p) => ({ name: p.name, value: paramText(p) })),
          { name: "mlnb-artifacts", value: o.artifacts ?? "s3://mlnb/artifacts" },
        ],
      },
      templates: [
        {
          name: "pipeline",
          dag: {
            tasks: tasks.map((t) => ({ name: t.task, template: `stage-${t.task}`, ...(t.after.length ? { dependencies: t.after } : {}) })),
          },
        },
        ...tasks.map((t) => ({
          name: `stage-${t.task}`,
          metadata: { labels: { "mlnb/stage": t.task } },
          retryStrategy: { limit: String(o.retries ?? 2), retryPolicy: "OnFailure" },
          container: {
            image: o.image,
            workingDir: "/app",
            command: taskCommand(o.script, t, (p) => `{{workflow.parameters.${p}}}`),
            env,
            ...(t.resources ? { resources: { requests: t.resources } } : {}),
          },
        })),
      ],
    },
  };
}

/** The workflow as YAML, headed by a comment saying how to submit it. */
export function argoYaml(plan: ExportPlan, o: TaskOptions & { artifacts?: string }): string {
  const head = [
    `# Argo Workflow of ${o.notebook}, written by mlnb export --to argo: one task per stage.`,
    `# Needs the image (mlnb export --to dockerfile) and a secret ${STORE_SECRET} with key url (postgres://...)`,
    "# and, for an s3:// artifact root, AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_REGION / AWS_ENDPOINT_URL).",
    `# Submit: argo submit ${o.notebook.replace(/\.mlnb$/, "")}.argo.yaml -p mlnb-artifacts=s3://bucket/prefix [-p name=value]`,
  ];
  return `${head.join("\n")}\n${yaml.dump(argoWorkflow(plan, o), { lineWidth: -1, noRefs: true })}`;
}
