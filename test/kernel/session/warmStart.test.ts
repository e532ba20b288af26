// Fresh kernels over a warm store: restored stages and their checked neighbours need no TypeScript; type checks on their thread still warn and stop.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { KernelClient } from "../../../kernel/client.js";
import type { Reply, TypeCheckMode } from "../../../kernel/protocol.js";

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const freshDir = () => {
  const d = mkdtempSync(join(tmpdir(), "mlnb-warm-"));
  dirs.push(d);
  return d;
};

/** A kernel process for a notebook in `dir`, started as `mlnb run` starts it (no type-checker warm-up). */
async function kernel(dir: string, typeCheck: TypeCheckMode) {
  const client = await KernelClient.start({ notebookPath: join(dir, "nb.mlnb"), typeCheck, env: { MLNB_STORE: join(dir, ".mlnb"), MLNB_TYPECHECK_WARMUP: "off" } });
  let n = 0;
  const run = async (code: string) => {
    const replies: Reply[] = [];
    const r = await client.execute(code, { cellId: `cell-${++n}` }, (reply) => replies.push(reply));
    const text = (name: "stdout" | "stderr") => replies.filter((x): x is Extract<Reply, { type: "stream" }> => x.type === "stream" && x.name === name).map((x) => x.text).join("");
    const result = replies.find((x): x is Extract<Reply, { type: "result" }> => x.type === "result")?.data["text/plain"];
    const error = replies.find((x): x is Extract<Reply, { type: "error" }> => x.type === "error")?.error;
    return { status: r.status, result, error, stdout: text("stdout"), stderr: text("stderr"), replies };
  };
  const typescriptLoaded = async () => ((await client.command("loaded")) as { typescript: boolean }).typescript;
  return { client, run, typescriptLoaded };
}

const PARAMS = "%%params\nconst factor = 3;";
const INGEST = '%%stage ingest\nimport * as aq from "arquero";\nconst rows = aq.table({ x: [1, 2, 3], y: ["a", "b", "c"] });\nrows.numRows()';
const PLAIN = "const shown: number = rows.numRows();\n`${shown} rows`";
const SCALE = "%%stage scale\nconst scaled = Array.from(rows.array(\"x\"), (v) => Number(v) * factor);\nscaled.join(\",\")";

test("a stage restored in a fresh kernel loads no TypeScript and no swc, and neither do the checked cells around it", async () => {
  const dir = freshDir();
  const cold = await kernel(dir, "warn");
  for (const cell of [PARAMS, INGEST, PLAIN, SCALE]) assert.equal((await cold.run(cell)).status, "ok");
  assert.equal(await cold.typescriptLoaded(), true, "the cold run type-checked its cells with TypeScript");
  assert.equal(((await cold.client.command("loaded")) as { swc: boolean }).swc, true, "the cold run stripped its cells with swc");
  await cold.client.shutdown();

  const warm = await kernel(dir, "warn");
  const [params, ingest, plain, scale] = [await warm.run(PARAMS), await warm.run(INGEST), await warm.run(PLAIN), await warm.run(SCALE)];
  assert.equal(params.status, "ok");
  assert.match(ingest.stdout, /^cached: from run 1/m);
  assert.equal(ingest.result, "3");
  assert.equal(plain.result, "'3 rows'");
  assert.match(scale.stdout, /^cached: from run 1/m);
  assert.equal(scale.result, "'3,6,9'");
  assert.equal(await warm.typescriptLoaded(), false);
  const loaded = (await warm.client.command("loaded")) as { languageThread: boolean; checkerThread: boolean; swc: boolean };
  assert.equal(loaded.swc, false, "every cell was stripped of types by the cold kernel: this one loaded no swc");
  assert.equal(loaded.languageThread, false, "no complete or inspect was asked: no language thread");
  assert.equal(loaded.checkerThread, false, "the stored checks answered every cell on the main thread: no checker thread");
  await warm.client.shutdown();
});

test("in a fresh kernel the first check the store cannot answer starts the checker thread, which knows the cells answered before it", async () => {
  const dir = freshDir();
  const cold = await kernel(dir, "warn");
  for (const cell of [PARAMS, INGEST, PLAIN]) assert.equal((await cold.run(cell)).status, "ok");
  await cold.client.shutdown();

  const warm = await kernel(dir, "warn");
  for (const cell of [PARAMS, INGEST, PLAIN]) assert.equal((await warm.run(cell)).status, "ok");
  assert.equal(((await warm.client.command("loaded")) as { checkerThread: boolean }).checkerThread, false);
  // A new cell reading names from each earlier cell (a param, a stage output, a plain cell's const), with a type error on the last.
  const fresh = await warm.run("const total: number = factor + rows.numRows() + shown;\nconst label: number = `${total}`;\ntotal");
  assert.equal(fresh.status, "ok");
  assert.equal(fresh.result, "9");
  assert.equal(fresh.stderr, "warning: Cell[4]:2:7 TS2322: Type 'string' is not assignable to type 'number'.\n", "only the real error: factor, rows and shown are known to the thread");
  const loaded = (await warm.client.command("loaded")) as { checkerThread: boolean; typescript: boolean };
  assert.equal(loaded.checkerThread, true);
  assert.equal(loaded.typescript, true);
  await warm.client.shutdown();
});

test("in a fresh kernel a comment added to a stage keeps its cache while a changed constant runs it again", async () => {
  const dir = freshDir();
  const first = await kernel(dir, "off");
  for (const cell of [PARAMS, INGEST, SCALE]) assert.equal((await first.run(cell)).status, "ok");
  await first.client.shutdown();

  const second = await kernel(dir, "off");
  await second.run(PARAMS);
  const commented = await second.run(INGEST.replace("const rows", "// three rows\nconst rows"));
  assert.match(commented.stdout, /^cached: from run 1/m);
  const changed = await second.run(INGEST.replace('"c"] }', '"c"] }).concat(aq.table({ x: [4], y: ["d"] })'));
  assert.doesNotMatch(changed.stdout, /cached: from run/);
  assert.equal(changed.result, "4");
  const downstream = await second.run(SCALE);
  assert.doesNotMatch(downstream.stdout, /cached: from run/, "its input changed");
  assert.equal(downstream.result, "'3,6,9,12'");
  await second.client.shutdown();
});

test("a type error warns in warn mode (the cell runs) and stops the cell in error mode, after earlier cells' declarations", async () => {
  const dir = freshDir();
  const warn = await kernel(dir, "warn");
  assert.equal((await warn.run("const a = 1;")).status, "ok");
  const warned = await warn.run("const b: string = a;\n`b is ${b}`");
  assert.equal(warned.status, "ok");
  assert.equal(warned.result, "'b is 1'");
  assert.match(warned.stderr, /warning: Cell\[2\]:1:7 TS2322: Type 'number' is not assignable to type 'string'/);
  const warning = warned.replies.findIndex((r) => r.type === "stream" && r.name === "stderr");
  assert.ok(warning < warned.replies.findIndex((r) => r.type === "done"), "the warning comes before the cell is done");
  await warn.client.shutdown();

  const strict = await kernel(freshDir(), "error");
  assert.equal((await strict.run("const a = 1;")).status, "ok");
  const stopped = await strict.run('const b: string = a;\nconsole.log("ran");');
  assert.equal(stopped.status, "error");
  assert.match(stopped.error!.message, /Cell\[2\]:1:7 - TS2322: Type 'number' is not assignable to type 'string'/);
  assert.equal(stopped.stdout, "", "the cell did not run");
  assert.equal((await strict.run("const c: number = a + 1;\nc")).result, "2");
  await strict.client.shutdown();
});

test("an unchecked first cell in a fresh kernel loads no TypeScript", async () => {
  const k = await kernel(freshDir(), "off");
  assert.equal((await k.run("1 + 1")).result, "2");
  assert.equal(await k.typescriptLoaded(), false);
  await k.client.shutdown();
});
