// Tests of stage cells in a kernel session: cache hits replay what the stage showed, gates hold on hits, upstream values are not changed.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { Reply } from "../../../kernel/protocol.js";
import { createSession, type Session } from "../../../kernel/session/session.js";
import { openStore } from "../../../kernel/stages/store/index.js";

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A session over a notebook in a fresh folder (or `dir`, to share a store with an earlier session). */
function kernel(dir = mkdtempSync(join(tmpdir(), "mlnb-session-")), typeCheck: "off" | "error" = "off") {
  if (!dirs.includes(dir)) dirs.push(dir);
  let replies: Reply[] = [];
  const session: Session = createSession({ notebookDir: dir, notebookPath: join(dir, "t.mlnb"), storeDir: join(dir, ".mlnb"), typeCheck, send: (r) => replies.push(r) });
  let n = 0;
  /** Run one cell; returns its replies. */
  const run = async (code: string, cellId = `c${++n}`) => {
    replies = [];
    await session.execute(`e${n}`, code, {}, cellId);
    return replies.slice();
  };
  /** Run a kernel command; returns its result (throws its error). */
  const command = async (name: string, args?: Record<string, unknown>): Promise<unknown> => {
    replies = [];
    await session.command(`q${++n}`, name, args);
    const r = replies.find((x) => x.type === "commandResult") as Extract<Reply, { type: "commandResult" }>;
    if (!r.ok) throw new Error(r.error);
    return r.result;
  };
  /** Stage name -> state, from the `stages` command. */
  const states = async () => Object.fromEntries(Object.entries((await command("stages") as { stages: Record<string, { state: string }> }).stages).map(([k, v]) => [k, v.state]));
  return { dir, session, run, command, states };
}

const done = (rs: Reply[]) => rs.find((r) => r.type === "done") as Extract<Reply, { type: "done" }>;
const error = (rs: Reply[]) => (rs.find((r) => r.type === "error") as Extract<Reply, { type: "error" }> | undefined)?.error;
const stdout = (rs: Reply[]) => rs.filter((r): r is Extract<Reply, { type: "stream" }> => r.type === "stream" && r.name === "stdout").map((r) => r.text).join("");

const TABLE_STAGE = `%%stage ingest
import * as aq from "arquero";
const rows = aq.table({ x: [1, 2, 3], y: ["a", "b", "c"] });
display.text("three rows read");
for (let i = 1; i <= 3; i++) display.mime({ "text/plain": \`progress \${i}/3\` }, { id: "p" });
rows`;

test("a cached stage replays its table, its displays and the last state of its progress, then one cached line", async () => {
  const first = kernel();
  const ran = await first.run(TABLE_STAGE);
  assert.equal(done(ran).status, "ok", JSON.stringify(error(ran)));
  const shownFirst = ran.filter((r) => r.type === "display").map((r) => (r as { data: Record<string, unknown> }).data["text/plain"]);
  assert.deepEqual(shownFirst, ["three rows read", "progress 1/3", "progress 2/3", "progress 3/3"]);
  const tableFirst = (ran.find((r) => r.type === "result") as { data: Record<string, unknown> }).data;
  first.session.close();

  const second = kernel(first.dir);
  const again = await second.run(TABLE_STAGE);
  second.session.close();
  assert.equal(done(again).status, "ok");
  const kinds = again.filter((r) => ["display", "result", "stream"].includes(r.type)).map((r) => r.type);
  assert.deepEqual(kinds, ["display", "display", "stream", "result"]);
  assert.deepEqual(again.filter((r) => r.type === "display").map((r) => (r as { data: Record<string, unknown> }).data["text/plain"]), ["three rows read", "progress 3/3"]);
  assert.match(stdout(again), /^cached: from run 1 at .*, saved \d+(\.\d)? s\n$/);
  const table = (again.find((r) => r.type === "result") as { data: Record<string, unknown> }).data;
  assert.deepEqual(table, tableFirst);
  assert.match(String(table["text/html"]), /<td[^>]*>b<\/td>/);
});

test("a tightened gate fails a stage restored from the cache, naming the metric, its value and the bound, and records it failed", async () => {
  const first = kernel();
  const stage = (gate: string) => `%%stage evaluate --gate "${gate}"\nimport { log } from "mlnb";\nconst score = 0.8;\nlog.metric("accuracy", score);`;
  assert.equal(done(await first.run(stage("accuracy>=0.5"))).status, "ok");
  first.session.close();

  const second = kernel(first.dir);
  const tightened = await second.run(stage("accuracy>=0.9"));
  assert.equal(done(tightened).status, "error");
  assert.equal(error(tightened)?.name, "GateError");
  assert.match(error(tightened)!.message, /stage evaluate: gate accuracy>=0\.9 failed: accuracy = 0\.8 \(metrics from run 1, restored from the cache\)/);
  assert.doesNotMatch(stdout(tightened), /cached: from run/);
  // The loosened gate restores it again: the gate is checked, not part of the key.
  const loosened = await second.run(stage("accuracy>=0.7"), "c1");
  assert.equal(done(loosened).status, "ok");
  assert.match(stdout(loosened), /^cached: from run 1/);
  second.session.close();

  const store = openStore({ dir: join(first.dir, ".mlnb") });
  try {
    const run2 = store.getRun(2)!;
    assert.deepEqual(run2.stageRuns.map((s) => [s.stage, s.status]), [["evaluate", "error"], ["evaluate", "cached"]]);
    assert.match(run2.stageRuns[0]!.error!, /^GateError: stage evaluate: gate accuracy>=0\.9 failed: accuracy = 0\.8/);
  } finally {
    store.close();
  }
});

test("a gate that fails on the first run fails the cell and is never restored as a success", async () => {
  const first = kernel();
  const code = `%%stage evaluate --gate "accuracy>=0.9"\nimport { log } from "mlnb";\nconst score = 0.8;\nlog.metric("accuracy", score);`;
  const ran = await first.run(code);
  assert.equal(done(ran).status, "error");
  assert.match(error(ran)!.message, /gate accuracy>=0\.9 failed: accuracy = 0\.8/);
  first.session.close();
  const second = kernel(first.dir);
  const again = await second.run(code);
  second.session.close();
  assert.equal(done(again).status, "error");
  assert.doesNotMatch(stdout(again), /cached/);
});

test("a stage that pushes to an upstream array fails naming both stages and the value, and the upstream cache entry keeps the original", async () => {
  const k = kernel();
  assert.equal(done(await k.run("%%stage make\nconst xs = [1, 2];")).status, "ok");
  const pushed = await k.run("%%stage grow\nxs.push(3);\nconst n = xs.length;");
  assert.equal(done(pushed).status, "error");
  assert.equal(error(pushed)?.name, "MutationError");
  assert.match(error(pushed)!.message, /^stage grow changed "xs", a value owned by stage make \(hash [0-9a-f]{12} before, [0-9a-f]{12} after\)/);
  // The owner is stale in this kernel; re-running it restores the stored value, unchanged.
  assert.deepEqual(await k.states(), { make: "stale", grow: "failed" });
  const restored = await k.run("%%stage make\nconst xs = [1, 2];", "c1");
  assert.match(stdout(restored), /^cached: from run 1/);
  const seen = await k.run("xs");
  assert.equal((seen.find((r) => r.type === "result") as { data: Record<string, unknown> }).data["text/plain"], "[ 1, 2 ]");
  k.session.close();
});

test("a stage that sets a field of an upstream object fails naming it", async () => {
  const k = kernel();
  assert.equal(done(await k.run("%%stage config\nconst settings = { rate: 0.1 };")).status, "ok");
  const set = await k.run("%%stage tune\nsettings.rate = 0.5;\nconst used = settings.rate;");
  k.session.close();
  assert.equal(done(set).status, "error");
  assert.match(error(set)!.message, /stage tune changed "settings", a value owned by stage config/);
});

test("a stage that only reads upstream values passes the mutation check", async () => {
  const k = kernel();
  await k.run("%%stage make\nconst xs = [1, 2];");
  const read = await k.run("%%stage total\nconst sum = xs.reduce((a, b) => a + b, 0);\nconst sorted = [...xs].sort((a, b) => b - a);");
  k.session.close();
  assert.equal(done(read).status, "ok", JSON.stringify(error(read)));
});

test("a stage restored in a fresh kernel re-learns the declarations recorded with it, and later cells are checked against them", async () => {
  const first = kernel(undefined, "error");
  assert.equal(done(await first.run("%%stage make\nconst xs = [1, 2].map((x) => x * 2);")).status, "ok");
  first.session.close();
  const store = openStore({ dir: join(first.dir, ".mlnb") });
  try {
    const run = store.getRun(1)!.stageRuns[0]!;
    const hit = store.findCached("make", run.codeHash, run.paramsHash, run.seed, {})!;
    assert.deepEqual(hit.declarations, [["xs", "declare const xs: number[];"]]);
  } finally {
    store.close();
  }
  const second = kernel(first.dir, "error");
  assert.match(stdout(await second.run("%%stage make\nconst xs = [1, 2].map((x) => x * 2);")), /^cached: from run 1/);
  const wrong = await second.run("const label: string = xs;");
  assert.equal(done(wrong).status, "error");
  assert.match(error(wrong)!.message, /TS2322: Type 'number\[\]' is not assignable to type 'string'/);
  assert.equal(done(await second.run("const total: number = xs.reduce((a, b) => a + b, 0);")).status, "ok");
  second.session.close();
});

test("a stage re-run in one kernel stores its trained model with the same hash, after other models were built", async () => {
  const k = kernel();
  const fit = `%%stage fit --no-cache
import * as aq from "arquero";
import { train } from "mlnb";
const t = aq.table({ x: Array.from({ length: 40 }, (_, i) => (i % 2 ? 1 : -1) + Math.sin(i)), label: Array.from({ length: 40 }, (_, i) => (i % 2 ? "a" : "b")) });
const model = await train.mlpClassifier(t, { target: "label", layers: [4], dropout: 0.1, epochs: 2, seed: 3, progress: false });`;
  assert.equal(done(await k.run(fit, "fit")).status, "ok");
  const other = await k.run(`import { train } from "mlnb";\nconst other = await train.logisticRegression(t, { target: "label", epochs: 1, seed: 1, progress: false });`);
  assert.equal(done(other).status, "ok", JSON.stringify(error(other)));
  assert.equal(done(await k.run(fit, "fit")).status, "ok");
  k.session.close();
  const store = openStore({ dir: join(k.dir, ".mlnb") });
  try {
    const runs = store.getRun(1)!.stageRuns.filter((s) => s.stage === "fit");
    assert.deepEqual(runs.map((s) => s.status), ["ok", "ok"]);
    const hashes = runs.map((s) => s.outputs.find((o) => o.name === "model")?.hash);
    assert.match(hashes[0]!, /^[0-9a-f]{64}$/);
    assert.equal(hashes[1], hashes[0]);
  } finally {
    store.close();
  }
});
