// Tests of `mlnb export` and `mlnb import` on real files: script + lock, --to ipynb, import back, and refusals.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { asTyped, main as exportMain } from "../../../kernel/cli/export.js";
import { main as importMain } from "../../../kernel/cli/import.js";
import { parseNotebook, serializeNotebook, type Notebook } from "../../../kernel/notebook/format.js";

const root = mkdtempSync(join(tmpdir(), "mlnb-export-cli-"));
after(() => rmSync(root, { recursive: true, force: true }));
const nb = (...sources: string[]): Notebook => ({ metadata: {}, cells: sources.map((source) => ({ kind: "code" as const, language: "typescript", source, outputs: [], executionCount: null, metadata: {} })) });

async function quiet<T>(fn: () => Promise<T>): Promise<{ value: T; err: string }> {
  const log = console.log;
  const error = console.error;
  let err = "";
  console.log = () => {};
  console.error = (...a: unknown[]) => void (err += a.join(" ") + "\n");
  try {
    return { value: await fn(), err };
  } finally {
    console.log = log;
    console.error = error;
  }
}

test("mlnb export writes the script and its lock beside the notebook, hashing the files stages read", async () => {
  writeFileSync(join(root, "x.csv"), "a\n1\n");
  writeFileSync(join(root, "demo.mlnb"), serializeNotebook(nb('%%stage ingest\nimport { readFileSync } from "node:fs";\nconst text = readFileSync("x.csv", "utf8");')));
  const { value, err } = await quiet(() => exportMain([join(root, "demo.mlnb")]));
  assert.equal(value, 0, err);
  assert.match(readFileSync(join(root, "demo.pipeline.ts"), "utf8"), /async function stage_ingest/);
  const lock = JSON.parse(readFileSync(join(root, "demo.pipeline.lock.json"), "utf8"));
  assert.deepEqual(lock.inputs, [{ bytes: 4, path: "x.csv", sha256: "309b0e45a73d3fc5325e2b6ed0a01ef8b9cde6b05a5633c1f893f970d52bfddc", stages: ["ingest"] }]);
  assert.match(err, /no successful run in its store/);
});

test("mlnb export names the stages of a cycle and exits 1", async () => {
  writeFileSync(join(root, "cycle.mlnb"), serializeNotebook(nb("%%stage a\nconst x = y;", "%%stage b\nconst y = x;")));
  const { value, err } = await quiet(() => exportMain([join(root, "cycle.mlnb")]));
  assert.equal(value, 1);
  assert.match(err, /cycle\.mlnb cannot be exported:\nstages form a cycle: (a -> b -> a|b -> a -> b)/);
  assert.ok(!existsSync(join(root, "cycle.pipeline.ts")));
});

test("mlnb export --to ipynb and mlnb import give back the notebook", async () => {
  const original = nb('%%stage a --gate "f1>=0.8"\nconst x = 1;');
  original.cells[0]!.outputs = [{ output_type: "stream", name: "stdout", text: "hi\n" }];
  writeFileSync(join(root, "rt.mlnb"), serializeNotebook(original));
  assert.equal((await quiet(() => exportMain([join(root, "rt.mlnb"), "--to", "ipynb"]))).value, 0);
  assert.equal(JSON.parse(readFileSync(join(root, "rt.ipynb"), "utf8")).nbformat_minor, 5);
  const refused = await quiet(() => importMain([join(root, "rt.ipynb"), "-o", join(root, "rt.mlnb")]));
  assert.equal(refused.value, 1);
  assert.match(refused.err, /rt\.mlnb exists \(--force overwrites it\)/);
  assert.equal((await quiet(() => importMain([join(root, "rt.ipynb"), "-o", join(root, "back.mlnb")]))).value, 0);
  assert.deepEqual(parseNotebook(readFileSync(join(root, "back.mlnb"), "utf8")), original);
});

test("mlnb export prints what it wrote and the command to run the script with paths as typed in the folder it ran in", async () => {
  writeFileSync(join(root, "hint.mlnb"), serializeNotebook(nb("%%stage a\nconst x = 1;")));
  const [log, error, cwd] = [console.log, console.error, process.cwd()];
  let out = "";
  console.log = (...a: unknown[]) => void (out += a.join(" ") + "\n");
  console.error = () => {};
  try {
    process.chdir(root);
    assert.equal(await exportMain(["hint.mlnb"]), 0);
  } finally {
    process.chdir(cwd);
    [console.log, console.error] = [log, error];
  }
  assert.match(out, /^wrote hint\.pipeline\.ts\nwrote hint\.pipeline\.lock\.json\nrun it: (npx )?mlnb script hint\.pipeline\.ts --verify$/m, out);
  assert.equal(asTyped(join(root, "sub", "x.pipeline.ts"), root), join("sub", "x.pipeline.ts"));
  assert.equal(asTyped(join(root, "x.ts"), join(root, "elsewhere")), join(root, "x.ts"), "outside the folder: absolute");
});
