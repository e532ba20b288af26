// Proven across processes: an exported Argo workflow's tasks played as separate processes in separate folders, sharing only PostgreSQL and the artifact root.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import yaml from "js-yaml";
import type { PipelineLock } from "../../../kernel/pipeline/index.js";
import { openStore } from "../../../kernel/stages/store/index.js";
import { skipWithoutPostgres as skip, startPostgres, type TestPostgres } from "../../support/postgres.js";
import { makeProject, mlnb, MLNB } from "./schedulerProject.js";

let pg: TestPostgres | undefined;
const dirs: string[] = [];
const temp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};
before(async () => {
  if (!skip) pg = await startPostgres();
});
after(() => {
  pg?.stop();
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

interface Attempt {
  task: string;
  folder: string;
  code: number;
  out: string;
}

/**
 * Play a Workflow as Argo's controller would, in miniature: a task starts when its dependencies
 * succeeded, each attempt in a fresh working folder made by `makeFolder` (a pod from the image),
 * `{{workflow.parameters.X}}` and secret refs resolved, a failed attempt retried up to
 * `retryStrategy.limit` times. `npx mlnb` is this checkout's bin/mlnb.js.
 */
async function playWorkflow(wf: any, o: { parameters: Record<string, string>; secrets: Record<string, Record<string, string>>; makeFolder: (task: string, attempt: number) => string }) {
  const params: Record<string, string> = Object.fromEntries(wf.spec.arguments.parameters.map((p: any) => [p.name, o.parameters[p.name] ?? p.value]));
  const sub = (s: string) => s.replace(/\{\{workflow\.parameters\.([\w-]+)\}\}/g, (_, n) => {
    assert.ok(n in params, `unknown workflow parameter ${n}`);
    return params[n]!;
  });
  const templates = new Map<string, any>(wf.spec.templates.map((t: any) => [t.name, t]));
  const tasks: any[] = templates.get(wf.spec.entrypoint).dag.tasks;
  const attempts: Attempt[] = [];
  let running = 0;
  let peak = 0;
  const runAttempt = (task: any, attempt: number) => new Promise<Attempt>((resolve) => {
    const c = templates.get(task.template).container;
    const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" };
    for (const e of c.env) {
      if (e.value !== undefined) env[e.name] = sub(e.value);
      else {
        const v = o.secrets[e.valueFrom.secretKeyRef.name]?.[e.valueFrom.secretKeyRef.key];
        if (v !== undefined) env[e.name] = v;
        else assert.ok(e.valueFrom.secretKeyRef.optional, `secret ${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key} is required`);
      }
    }
    const command: string[] = c.command.map(sub);
    assert.deepEqual(command.slice(0, 2), ["npx", "mlnb"]);
    const folder = o.makeFolder(task.name, attempt);
    const child = spawn(process.execPath, [MLNB, ...command.slice(2)], { cwd: folder, env });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    running++;
    peak = Math.max(peak, running);
    child.on("close", (code) => {
      running--;
      const a = { task: task.name, folder, code: code ?? 1, out };
      attempts.push(a);
      resolve(a);
    });
  });
  const done = new Map<string, Promise<boolean>>();
  const start = (task: any): Promise<boolean> => {
    if (!done.has(task.name)) {
      done.set(task.name, (async () => {
        const deps = await Promise.all((task.dependencies ?? []).map((d: string) => start(tasks.find((t) => t.name === d))));
        if (!deps.every(Boolean)) return false;
        const limit = Number(templates.get(task.template).retryStrategy?.limit ?? 0);
        for (let attempt = 0; attempt <= limit; attempt++) if ((await runAttempt(task, attempt)).code === 0) return true;
        return false;
      })());
    }
    return done.get(task.name)!;
  };
  const ok = (await Promise.all(tasks.map(start))).every(Boolean);
  return { ok, attempts, peak };
}

test("Argo tasks as separate processes in separate folders reproduce the notebook's lock through the shared store; a retried task restores its inputs", { skip }, async () => {
  const made = makeProject();
  dirs.push(made);
  // the notebook runs on a laptop (embedded store); its lock holds the expected hashes
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "MLNB_STORE" && k !== "MLNB_ARTIFACTS"));
  const ran = await mlnb(made, ["run", "tiny.mlnb"], env);
  assert.equal(ran.code, 0, ran.stderr);
  const exported = await mlnb(made, ["export", "tiny.mlnb", "--to", "argo", "--image", "tiny:test"], env);
  assert.equal(exported.code, 0, exported.stderr);
  const lock = JSON.parse(readFileSync(join(made, "tiny.pipeline.lock.json"), "utf8")) as PipelineLock;
  const wf = yaml.load(readFileSync(join(made, "tiny.argo.yaml"), "utf8"));

  const artifacts = temp("mlnb-artifacts-");
  const image = ["package.json", "data.csv", "tiny.pipeline.ts", "tiny.pipeline.lock.json"];
  const played = await playWorkflow(wf, {
    parameters: { "mlnb-artifacts": artifacts },
    secrets: { "mlnb-store": { url: pg!.url } },
    makeFolder: (task, attempt) => {
      const folder = temp(`mlnb-pod-${task}-${attempt}-`);
      for (const f of image) copyFileSync(join(made, f), join(folder, f));
      // the first attempt of train meets a transient failure
      if (task === "train" && attempt === 0) writeFileSync(join(folder, "fail-once"), "");
      return folder;
    },
  });
  const log = played.attempts.map((a) => `--- ${a.task} (exit ${a.code})\n${a.out}`).join("\n");
  assert.ok(played.ok, log);
  assert.deepEqual(played.attempts.map((a) => a.task).sort(), ["clean", "ingest", "report", "stats", "train", "train"]);
  assert.ok(played.peak >= 2, `clean and stats run at once (peak ${played.peak})`);
  assert.equal(new Set(played.attempts.map((a) => a.folder)).size, played.attempts.length, "every attempt has its own folder");

  const [failed, retried] = played.attempts.filter((a) => a.task === "train");
  assert.notEqual(failed!.code, 0);
  assert.match(failed!.out, /stage train \(cell 5\) failed: Error: transient failure/);
  assert.equal(retried!.code, 0);
  assert.match(retried!.out, /ingest: outputs restored from run \d+ \(not selected\)/);
  assert.match(retried!.out, /clean: outputs restored from run \d+ \(not selected\)/);
  const report = played.attempts.find((a) => a.task === "report")!;
  for (const s of ["ingest", "clean", "stats", "train"]) assert.match(report.out, new RegExp(`${s}: outputs restored from run`));

  // every stage's output hashes, as the tasks recorded them in the shared store, equal the lock's
  process.env.MLNB_ARTIFACTS = artifacts;
  const store = openStore({ dir: pg!.url });
  try {
    const runs = store.listRuns({ notebook: "tiny.pipeline.ts" });
    assert.equal(runs.length, 6, "one run per attempt");
    const recorded: Record<string, Record<string, string>> = {};
    for (const r of runs) for (const s of store.getRun(r.id)!.stageRuns) if (s.status === "ok") recorded[s.stage] = Object.fromEntries(s.outputs.map((o) => [o.name, o.hash!]));
    const expected = Object.fromEntries(Object.entries(lock.stages).map(([s, l]) => [s, Object.fromEntries(Object.entries(l.outputs!).map(([n, o]) => [n, o.hash!]))]));
    assert.deepEqual(recorded, expected);
    assert.equal(Object.keys(expected).length, 5);
  } finally {
    store.close();
    delete process.env.MLNB_ARTIFACTS;
  }
});
