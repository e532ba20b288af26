// Tests of Run Stale Stages and Run Stage With Upstream in a fresh kernel: what they run first, and the "unloaded" state.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { Reply } from "../../../kernel/protocol.js";
import { createSession } from "../../../kernel/session/session.js";

const dir = mkdtempSync(join(tmpdir(), "mlnb-plan-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const CELLS: Record<string, string> = {
  params: "%%params\n%seed 7\nconst factor = 2;",
  helper: "const offset = 10;",
  chart: "const unrelated = 'a plain cell no stage reads';",
  a: "%%stage a\nconst xs = [1, 2, 3].map((x) => x * factor);",
  b: "%%stage b\nconst total = xs.reduce((s, x) => s + x, offset);",
};

/** A fresh kernel (a restart) over the shared store, synced with `cells`. */
async function kernel(cells: Record<string, string> = CELLS) {
  let replies: Reply[] = [];
  const session = createSession({ notebookDir: dir, notebookPath: join(dir, "t.mlnb"), storeDir: join(dir, ".mlnb"), typeCheck: "off", send: (r) => replies.push(r) });
  let n = 0;
  const command = async (name: string, args: Record<string, unknown> = {}) => {
    replies = [];
    await session.command(`q${++n}`, name, args);
    const r = replies.find((x) => x.type === "commandResult") as Extract<Reply, { type: "commandResult" }>;
    if (!r.ok) throw new Error(r.error);
    return r.result;
  };
  /** Run cells by id, as the extension does with a command's answer; returns each one's status and stdout. */
  const run = async (ids: string[]) => {
    const out: string[] = [];
    for (const id of ids) {
      replies = [];
      await session.execute(`e${++n}`, cells[id]!, {}, id);
      const done = replies.find((r) => r.type === "done") as Extract<Reply, { type: "done" }>;
      const error = replies.find((r) => r.type === "error") as Extract<Reply, { type: "error" }> | undefined;
      const text = replies.filter((r) => r.type === "stream").map((r) => (r as { text: string }).text).join("");
      out.push(`${id}: ${done.status}${/^cached: from run/m.test(text) ? " (cached)" : ""}${error ? ` ${error.error.message}` : ""}`);
    }
    return out;
  };
  const states = async () => Object.fromEntries(Object.entries(((await command("stages")) as { stages: Record<string, { state: string }> }).stages).map(([k, v]) => [k, v.state]));
  await command("sync", { cells: Object.entries(cells).map(([id, source]) => ({ id, source })) });
  return { session, command, run, states };
}

test("a fresh kernel runs the params cell, the seed and the plain cells a stage reads before the stage and its upstream", async () => {
  const k = await kernel();
  assert.deepEqual(await k.states(), { a: "stale", b: "stale" }, "nothing stored yet: never run");
  const ids = (await k.command("upstreamCells", { stage: "b" })) as string[];
  assert.deepEqual(ids, ["params", "helper", "a", "b"]);
  assert.deepEqual(await k.run(ids), ["params: ok", "helper: ok", "a: ok", "b: ok"]);
  assert.deepEqual(await k.states(), { a: "fresh", b: "fresh" });
  // In the same kernel the setup cells have run: only the stages again.
  assert.deepEqual(await k.command("upstreamCells", { stage: "b" }), ["a", "b"]);
  k.session.close();
});

test("after a restart stages with a valid cache are unloaded, not stale, and Run Stage With Upstream restores them", async () => {
  const k = await kernel();
  assert.deepEqual(await k.states(), { a: "unloaded", b: "unloaded" });
  assert.deepEqual(await k.command("staleCells"), [], "nothing changed: nothing is stale");
  const ids = (await k.command("upstreamCells", { stage: "b" })) as string[];
  assert.deepEqual(await k.run(ids), ["params: ok", "helper: ok", "a: ok (cached)", "b: ok (cached)"]);
  assert.deepEqual(await k.states(), { a: "cached", b: "cached" });
  k.session.close();
});

test("after a restart Run Stale Stages runs an edited stage after the setup cells and the unloaded stages it needs", async () => {
  const edited = { ...CELLS, b: "%%stage b\nconst total = xs.reduce((s, x) => s + x, offset) * 2;" };
  const k = await kernel(edited);
  assert.deepEqual(await k.states(), { a: "unloaded", b: "stale" });
  const ids = (await k.command("staleCells")) as string[];
  assert.deepEqual(ids, ["params", "helper", "a", "b"]);
  assert.deepEqual(await k.run(ids), ["params: ok", "helper: ok", "a: ok (cached)", "b: ok"]);
  assert.deepEqual(await k.states(), { a: "cached", b: "fresh" });
  k.session.close();
});

test("a changed param makes the stages reading it stale, not unloaded", async () => {
  const k = await kernel({ ...CELLS, params: "%%params\n%seed 7\nconst factor = 3;" });
  assert.deepEqual(await k.states(), { a: "stale", b: "stale" });
  k.session.close();
});
