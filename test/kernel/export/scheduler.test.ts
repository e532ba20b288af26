// Exports for outside schedulers: the Argo Workflow validates against Argo's published schema, the Airflow DAG compiles, the Dockerfile builds from the lock.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import Ajv2020 from "ajv/dist/2020.js";
import yaml from "js-yaml";
import { airflowDag, argoWorkflow, planExport, stageTasks } from "../../../kernel/export/index.js";
import { parseMagics, stageOf } from "../../../kernel/magics/parse.js";
import { parseNotebook } from "../../../kernel/notebook/format.js";
import { makeProject, mlnb, NOTEBOOK, ROOT } from "./schedulerProject.js";

/** Argo's schema: MLNB_ARGO_SCHEMA, else the shared reference copy in a `shared/` beside the checkout or one level up (not copied into the repo). */
const SCHEMA = process.env.MLNB_ARGO_SCHEMA ?? [resolve(ROOT, "..", "shared"), resolve(ROOT, "..", "..", "shared")].map((d) => join(d, "argo", "workflow.schema.json")).find((f) => existsSync(f)) ?? "../shared/argo/workflow.schema.json";
const PYTHON = "/usr/bin/python3";
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "MLNB_STORE"));
let dir = "";

before(async () => {
  dir = makeProject();
  const ran = await mlnb(dir, ["run", "tiny.mlnb"], env);
  assert.equal(ran.code, 0, ran.stderr);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const plan = () => planExport(parseNotebook(NOTEBOOK, "tiny.mlnb"));

test("parses %%stage --resources into Kubernetes requests and names a bad entry", () => {
  const ok = parseMagics("%%stage train --resources cpu=2,memory=4Gi --resources gpu=1\nconst x = 1;");
  assert.ok(ok.ok);
  assert.deepEqual(stageOf(ok)!.resources, { cpu: "2", memory: "4Gi", "nvidia.com/gpu": "1" });
  const bad = parseMagics("%%stage train --resources cpu=lots\nconst x = 1;");
  assert.ok(!bad.ok);
  assert.match(bad.diagnostics[0]!.message, /--resources: cpu="lots" is not a quantity/);
  const unknown = parseMagics("%%stage train --resources disk=1Gi\nconst x = 1;");
  assert.ok(!unknown.ok);
  assert.match(unknown.diagnostics[0]!.message, /unknown resource "disk"/);
});

test("maps stages to tasks with the stage graph's dependencies", () => {
  assert.deepEqual(stageTasks(plan()).map((t) => [t.task, t.after, t.params]), [
    ["ingest", [], []],
    ["clean", ["ingest"], ["minX"]],
    ["stats", ["ingest"], []],
    ["train", ["clean"], []],
    ["report", ["train", "stats"], ["tag"]],
  ]);
});

test("mlnb export --to argo writes a Workflow that Argo's published JSON schema accepts", { skip: existsSync(SCHEMA) ? false : `Argo's schema not found at ${SCHEMA} (set MLNB_ARGO_SCHEMA)` }, async () => {
  const r = await mlnb(dir, ["export", "tiny.mlnb", "--to", "argo", "--image", "registry.example/tiny:1", "--retries", "3"], env);
  assert.equal(r.code, 0, r.stderr);
  const wf = yaml.load(readFileSync(join(dir, "tiny.argo.yaml"), "utf8")) as any;
  const schema = JSON.parse(readFileSync(SCHEMA, "utf8"));
  const ajv = new Ajv2020.default({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema(schema, "argo");
  const compiled = ajv.compile({ $ref: "argo#/definitions/io.argoproj.workflow.v1alpha1.Workflow" });
  const validate = Object.assign((d: unknown): boolean => compiled(d), { get errors() { return compiled.errors; } });
  assert.ok(validate(wf), JSON.stringify(validate.errors?.slice(0, 5)));
  // the schema must be able to fail: a task with a misspelt field is refused
  const broken = structuredClone(wf);
  broken.spec.templates[0].dag.tasks[0].dependencies = "ingest";
  assert.equal(validate(broken), false);

  assert.equal(wf.kind, "Workflow");
  assert.deepEqual(wf.spec.arguments.parameters, [{ name: "minX", value: "2" }, { name: "tag", value: "run a" }, { name: "mlnb-artifacts", value: "s3://mlnb/artifacts" }]);
  const dag = wf.spec.templates.find((t: any) => t.name === wf.spec.entrypoint).dag.tasks;
  assert.deepEqual(dag.map((t: any) => [t.name, t.dependencies ?? []]), [["ingest", []], ["clean", ["ingest"]], ["stats", ["ingest"]], ["train", ["clean"]], ["report", ["train", "stats"]]]);
  const train = wf.spec.templates.find((t: any) => t.name === "stage-train");
  assert.deepEqual(train.container.command, ["npx", "mlnb", "script", "tiny.pipeline.ts", "--stage", "train"]);
  assert.deepEqual(train.container.resources, { requests: { cpu: "2", memory: "1Gi" } });
  assert.deepEqual(train.retryStrategy, { limit: "3", retryPolicy: "OnFailure" });
  assert.equal(train.container.image, "registry.example/tiny:1");
  const clean = wf.spec.templates.find((t: any) => t.name === "stage-clean");
  assert.deepEqual(clean.container.command.slice(-2), ["-p", "minX={{workflow.parameters.minX}}"]);
  assert.deepEqual(clean.container.env.find((e: any) => e.name === "MLNB_STORE"), { name: "MLNB_STORE", valueFrom: { secretKeyRef: { name: "mlnb-store", key: "url" } } });
});

test("the Argo workflow object is the same for the same notebook (export is a pure function)", () => {
  const o = { notebook: "tiny.mlnb", script: "tiny.pipeline.ts", image: "i:1" };
  assert.deepEqual(argoWorkflow(plan(), o), argoWorkflow(plan(), o));
});

test("mlnb export --to airflow writes a DAG file python3 -m py_compile accepts, for both operators", { skip: existsSync(PYTHON) ? false : "no /usr/bin/python3" }, async () => {
  const r = await mlnb(dir, ["export", "tiny.mlnb", "--to", "airflow", "--image", "registry.example/tiny:1"], env);
  assert.equal(r.code, 0, r.stderr);
  const file = join(dir, "tiny_dag.py");
  execFileSync(PYTHON, ["-m", "py_compile", file]);
  const text = readFileSync(file, "utf8");
  assert.match(text, /"minX": Param\(2\),/);
  assert.match(text, /arguments=\["mlnb", "script", "tiny\.pipeline\.ts", "--stage", "clean", "-p", "minX=\{\{ params\.minX \}\}"\]/);
  assert.match(text, /\[stage_train, stage_stats\] >> stage_report/);
  assert.match(text, /container_resources=k8s\.V1ResourceRequirements\(requests=\{"cpu": "2", "memory": "1Gi"\}\)/);
  const bash = airflowDag(plan(), { notebook: "tiny.mlnb", script: "tiny.pipeline.ts", image: "i", operator: "bash" });
  const bashFile = join(dir, "tiny_bash_dag.py");
  (await import("node:fs")).writeFileSync(bashFile, bash);
  execFileSync(PYTHON, ["-m", "py_compile", bashFile]);
  assert.match(bash, /BashOperator\(\n {8}task_id="report",\n {8}bash_command="cd \\"\$PROJECT\\" && MLNB_ARTIFACTS=\\"\{\{ params\.mlnb_artifacts \}\}\\" npx mlnb script tiny\.pipeline\.ts --stage report -p \\"tag=\{\{ params\.tag \}\}\\""/);
  // a syntax error is caught: the check can fail
  (await import("node:fs")).writeFileSync(bashFile, bash.replace("with DAG(", "with DAG(("));
  assert.throws(() => execFileSync(PYTHON, ["-m", "py_compile", bashFile], { stdio: "pipe" }));
});

test("mlnb export --to dockerfile writes the image: npm ci from the lock, the project with its script", async () => {
  const r = await mlnb(dir, ["export", "tiny.mlnb", "--to", "dockerfile"], env);
  assert.equal(r.code, 0, r.stderr);
  const text = readFileSync(join(dir, "Dockerfile"), "utf8");
  assert.match(text, /^FROM node:20-bookworm-slim$/m);
  assert.match(text, /^COPY package\.json package-lock\.json \.\/\nRUN npm ci/m);
  assert.match(text, /^CMD \["npx", "mlnb", "script", "tiny\.pipeline\.ts", "--help"\]$/m);
  assert.match(readFileSync(join(dir, ".dockerignore"), "utf8"), /^\.mlnb$/m);
  assert.ok(existsSync(join(dir, "tiny.pipeline.lock.json")));
});

test("refuses an unknown --to and a bad --retries with the option named", async () => {
  const a = await mlnb(dir, ["export", "tiny.mlnb", "--to", "k8s"], env);
  assert.equal(a.code, 2);
  assert.match(a.stderr, /--to must be script, ipynb, argo, airflow or dockerfile, got k8s/);
  const b = await mlnb(dir, ["export", "tiny.mlnb", "--to", "argo", "--retries=-1"], env);
  assert.equal(b.code, 2);
  assert.match(b.stderr, /--retries must be a whole number >= 0, got -1/);
});
