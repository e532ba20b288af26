// Export and script runs on untrusted notebooks: inputs outside the folder, FIFOs, devices, malformed locks, planted temp files.
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { main as exportMain } from "../../../kernel/cli/export.js";
import { serializeNotebook, type Notebook } from "../../../kernel/notebook/format.js";

const ROOT = fileURLToPath(new URL(import.meta.url.includes("/out/") ? "../../../../" : "../../../", import.meta.url));
const MLNB = join(ROOT, "bin", "mlnb.js");
const base = mkdtempSync(join(tmpdir(), "mlnb-export-safety-"));
after(() => rmSync(base, { recursive: true, force: true }));
const nb = (...sources: string[]): Notebook => ({ metadata: {}, cells: sources.map((source) => ({ kind: "code" as const, language: "typescript", source, outputs: [], executionCount: null, metadata: {} })) });
const reads = (path: string) => nb(`%%stage ingest\nimport { readFileSync } from "node:fs";\nconst text = readFileSync(${JSON.stringify(path)}, "utf8");`);

async function exportQuiet(args: string[]): Promise<{ code: number; err: string }> {
  const log = console.log;
  const error = console.error;
  let err = "";
  console.log = () => {};
  console.error = (...a: unknown[]) => void (err += a.join(" ") + "\n");
  try {
    return { code: await exportMain(args), err };
  } finally {
    console.log = log;
    console.error = error;
  }
}

function folder(name: string): string {
  const dir = join(base, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

test("export refuses a file outside the notebook's folder, also through a symlink, unless --allow-outside", async () => {
  const dir = folder("outside");
  const secret = join(folder("elsewhere"), "secret.txt");
  writeFileSync(secret, "token=1\n");
  writeFileSync(join(dir, "abs.mlnb"), serializeNotebook(reads(secret)));
  const refused = await exportQuiet([join(dir, "abs.mlnb")]);
  assert.equal(refused.code, 1);
  assert.ok(refused.err.includes(`stage "ingest" reads ${secret}: refused, it is outside the notebook's folder`), refused.err);
  assert.match(refused.err, /pass --allow-outside to hash it anyway/);
  assert.ok(!existsSync(join(dir, "abs.pipeline.lock.json")));

  symlinkSync(secret, join(dir, "link.txt"));
  writeFileSync(join(dir, "link.mlnb"), serializeNotebook(reads("link.txt")));
  const viaLink = await exportQuiet([join(dir, "link.mlnb")]);
  assert.equal(viaLink.code, 1);
  assert.match(viaLink.err, /reads link\.txt: refused, it is outside the notebook's folder/);

  const allowed = await exportQuiet([join(dir, "abs.mlnb"), "--allow-outside"]);
  assert.equal(allowed.code, 0, allowed.err);
  const lock = JSON.parse(readFileSync(join(dir, "abs.pipeline.lock.json"), "utf8"));
  assert.equal(lock.inputs[0].sha256, createHash("sha256").update("token=1\n").digest("hex"));
  assert.equal(lock.inputs[0].bytes, 8);
});

test("export never opens a FIFO or a device, even with --allow-outside", async () => {
  const dir = folder("special");
  execFileSync("mkfifo", [join(dir, "pipe.csv")]);
  writeFileSync(join(dir, "fifo.mlnb"), serializeNotebook(reads("pipe.csv")));
  const fifo = await exportQuiet([join(dir, "fifo.mlnb")]);
  assert.equal(fifo.code, 1);
  assert.match(fifo.err, /reads pipe\.csv: refused, it is not a regular file \(a FIFO\)/);
  writeFileSync(join(dir, "zero.mlnb"), serializeNotebook(reads("/dev/zero")));
  const zero = await exportQuiet([join(dir, "zero.mlnb"), "--allow-outside"]);
  assert.equal(zero.code, 1);
  assert.match(zero.err, /reads \/dev\/zero: refused, it is not a regular file \(a character device\)/);
  writeFileSync(join(dir, "folder.mlnb"), serializeNotebook(reads(".")));
  assert.match((await exportQuiet([join(dir, "folder.mlnb")])).err, /reads \.: refused, it is not a regular file \(a folder\)/);
});

const run = promisify(execFile);
async function script(dir: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [MLNB, "script", ...args], { cwd: dir, env: { ...process.env, ...env }, timeout: 120_000 });
    return { code: 0, out: stdout, err: stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

async function exported(name: string): Promise<string> {
  const dir = folder(name);
  writeFileSync(join(dir, "x.csv"), "a\n1\n");
  writeFileSync(join(dir, "demo.mlnb"), serializeNotebook(nb("%seed 7", '%%stage ingest\nimport { readFileSync } from "node:fs";\nconst text = readFileSync("x.csv", "utf8");')));
  const { code, err } = await exportQuiet([join(dir, "demo.mlnb")]);
  assert.equal(code, 0, err);
  return dir;
}

test("a malformed lock stops the script with an error naming the field, and an edited seed is caught like a changed input", async () => {
  const dir = await exported("locks");
  const lockPath = join(dir, "demo.pipeline.lock.json");
  const good = JSON.parse(readFileSync(lockPath, "utf8"));
  writeFileSync(lockPath, JSON.stringify({ ...good, inputs: [{ ...good.inputs[0], sha256: "abc" }] }));
  const bad = await script(dir, ["demo.pipeline.ts"]);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /demo\.pipeline\.lock\.json: field "inputs\[0\]\.sha256" must be a sha256 \(64 hex digits\)/);
  assert.doesNotMatch(bad.err, /\n\s+at /, "no stack trace");
  writeFileSync(lockPath, "{ not json");
  assert.match((await script(dir, ["demo.pipeline.ts"])).err, /demo\.pipeline\.lock\.json: not valid JSON/);

  writeFileSync(lockPath, JSON.stringify({ ...good, stages: { ingest: { ...good.stages.ingest, seed: 8 } } }));
  const seeded = await script(dir, ["demo.pipeline.ts"]);
  assert.equal(seeded.code, 1);
  assert.match(seeded.err, /seed changed: stage ingest runs with seed 7, the lock says 8/);
  assert.match(seeded.err, /inputs, seed or params differ from the lock; stopping before the first stage/);
  writeFileSync(lockPath, JSON.stringify(good));
  const ok = await script(dir, ["demo.pipeline.ts"]);
  assert.equal(ok.code, 0, ok.err);
});

test("mlnb script compiles into a private temp folder and never writes through a planted path", async () => {
  const dir = await exported("planted");
  const tmp = folder("tmp");
  const victim = folder("victim");
  // What an attacker sharing /tmp could plant at the names the old loader used.
  symlinkSync(victim, join(tmp, "mlnb-scripts"));
  const ok = await script(dir, ["demo.pipeline.ts"], { TMPDIR: tmp });
  assert.equal(ok.code, 0, ok.err);
  assert.deepEqual(readdirSync(victim), []);
  assert.deepEqual(readdirSync(tmp), ["mlnb-scripts"], "the private compile folder is removed after loading");
});
