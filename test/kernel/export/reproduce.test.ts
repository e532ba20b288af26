// Reproduction, proved: every example notebook run headless, exported, and its script run with --verify in a clean folder.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, test } from "node:test";
import { promisify } from "node:util";
import { planExport, ExportError } from "../../../kernel/export/index.js";
import type { PipelineLock } from "../../../kernel/pipeline/index.js";
import { parseNotebook } from "../../../kernel/notebook/format.js";
import { openStore } from "../../../kernel/stages/store/index.js";
import { listNotebooks } from "../../../kernel/notebook/list.js";

const ROOT = fileURLToPath(new URL(import.meta.url.includes("/out/") ? "../../../../" : "../../../", import.meta.url));
const MLNB = join(ROOT, "bin", "mlnb.js");
const NOTEBOOKS = join(ROOT, "notebooks");
const run = promisify(execFile);
// Stores beside each notebook and script, whatever the caller's environment says.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "MLNB_STORE"));
const work = mkdtempSync(join(tmpdir(), "mlnb-reproduce-"));
after(() => rmSync(work, { recursive: true, force: true }));

async function mlnb(cwd: string, ...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [MLNB, ...args], { cwd, maxBuffer: 64 << 20, env });
    return { stdout, stderr, code: 0 };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; code?: number };
    return { stdout: err.stdout ?? "", stderr: err.stderr ?? "", code: typeof err.code === "number" ? err.code : 1 };
  }
}

/** Output hashes (`stage.output` -> hash) of the latest run of `key` in the store at `dir`. */
function runHashes(dir: string, key: string, nth = 0): Record<string, string> {
  const store = openStore({ dir: join(dir, ".mlnb") });
  try {
    const summary = store.listRuns({ notebook: key })[nth];
    assert.ok(summary, `no run ${nth} of ${key} in ${dir}`);
    const hashes: Record<string, string> = {};
    for (const s of store.getRun(summary.id)!.stageRuns) for (const o of s.outputs) if (o.hash) hashes[`${s.stage}.${o.name}`] = o.hash;
    return hashes;
  } finally {
    store.close();
  }
}

const notebooks = listNotebooks(NOTEBOOKS);

describe("every example notebook reproduces hash for hash", () => {
  test("there are example notebooks to check", () => assert.ok(notebooks.length > 0));

  for (const file of notebooks) {
    const hasStages = (() => {
      try {
        planExport(parseNotebook(readFileSync(join(NOTEBOOKS, file), "utf8"), file));
        return true;
      } catch (e) {
        if (e instanceof ExportError && /no %%stage cells/.test(e.message)) return false;
        throw e;
      }
    })();
    test(`${file}: exported script --verify in a clean folder, and two notebook runs, give the same hashes`, { skip: hasStages ? false : "no %%stage cells", timeout: 600_000 }, async () => {
      const base = file.replace(/\.mlnb$/, "");
      const nbDir = join(work, base, "notebook");
      mkdirSync(nbDir, { recursive: true });
      copyFileSync(join(NOTEBOOKS, file), join(nbDir, file));
      if (existsSync(join(NOTEBOOKS, "data"))) cpSync(join(NOTEBOOKS, "data"), join(nbDir, "data"), { recursive: true });

      const first = await mlnb(nbDir, "run", file, "--quiet", "--no-write");
      assert.equal(first.code, 0, `mlnb run ${file}:\n${first.stderr}`);
      const exported = await mlnb(nbDir, "export", file);
      assert.equal(exported.code, 0, `mlnb export ${file}:\n${exported.stderr}`);

      // The clean folder gets the script, its lock and exactly the input files the lock lists.
      const clean = join(work, base, "clean");
      mkdirSync(clean, { recursive: true });
      for (const f of [`${base}.pipeline.ts`, `${base}.pipeline.lock.json`]) copyFileSync(join(nbDir, f), join(clean, f));
      const lock = JSON.parse(readFileSync(join(clean, `${base}.pipeline.lock.json`), "utf8")) as PipelineLock;
      assert.ok(Object.values(lock.stages).every((s) => s.outputs), `stages without expected hashes: ${JSON.stringify(lock.stages)}`);
      for (const input of lock.inputs) {
        mkdirSync(dirname(join(clean, input.path)), { recursive: true });
        copyFileSync(join(nbDir, input.path), join(clean, input.path));
      }
      const script = await mlnb(tmpdir(), "script", join(clean, `${base}.pipeline.ts`), "--verify", "--quiet");
      assert.equal(script.code, 0, `mlnb script ${base}.pipeline.ts --verify:\n${script.stderr}`);
      assert.match(script.stdout, /verified \d+ output hash/);
      const locked = Object.fromEntries(Object.entries(lock.stages).flatMap(([stage, s]) => Object.entries(s.outputs ?? {}).filter(([, o]) => o.hash).map(([name, o]) => [`${stage}.${name}`, o.hash!])));
      assert.deepEqual(runHashes(clean, `${base}.pipeline.ts`), locked);

      const second = await mlnb(nbDir, "run", file, "--quiet", "--no-write", "--no-cache");
      assert.equal(second.code, 0, `second mlnb run ${file}:\n${second.stderr}`);
      assert.deepEqual(runHashes(nbDir, file, 0), runHashes(nbDir, file, 1));
    });
  }
});
