// Tests that `jupyter nbconvert --execute` runs every example notebook exported to .ipynb in mlnb's kernel, with mlnb run's metrics.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { promisify } from "node:util";
import { listNotebooks } from "../../../kernel/notebook/list.js";
import { jupyterHome, PYTHON } from "./driver.js";

const run = promisify(execFile);
const home = jupyterHome();
after(() => home.cleanup());
const CLI = join(process.cwd(), "bin", "mlnb.js");
const examples = listNotebooks(join(process.cwd(), "notebooks"));
// A private copy of the examples and their data: runs write models/ and stores.
cpSync(join(process.cwd(), "notebooks"), home.notebookDir, { recursive: true, filter: (src) => !/\/\.mlnb(\/|$)|\.out\.mlnb$|\.ipynb$/.test(src) });

async function latestMetrics(store: string): Promise<Record<string, number>> {
  const { stdout } = await run(process.execPath, [CLI, "runs", "--store", store, "--json"], { cwd: home.notebookDir });
  const runs = JSON.parse(stdout) as { status: string; metrics: Record<string, number> }[];
  assert.equal(runs.length, 1);
  assert.equal(runs[0]!.status, "ok");
  return runs[0]!.metrics;
}

for (const name of examples) {
  const stem = name.replace(/\.mlnb$/, "");
  test(`${stem}: nbconvert --execute of the exported .ipynb succeeds with the same metrics as mlnb run`, async () => {
    const cwd = home.notebookDir;
    const storeRun = join(home.dir, `store-run-${stem}`);
    const storeJupyter = join(home.dir, `store-jupyter-${stem}`);
    await run(process.execPath, [CLI, "export", name, "--to", "ipynb"], { cwd });
    // The two runs are independent (own stores, no cache between them): run them side by side.
    const [, converted] = await Promise.all([
      run(process.execPath, [CLI, "run", name, "--no-write", "--quiet"], { cwd, env: { ...process.env, MLNB_STORE: storeRun }, maxBuffer: 64 << 20 }),
      run(PYTHON, ["-m", "nbconvert", "--to", "notebook", "--execute", `${stem}.ipynb`, "--output", `${stem}.executed.ipynb`, "--ExecutePreprocessor.timeout=900"], { cwd, env: { ...home.env, MLNB_STORE: storeJupyter }, maxBuffer: 64 << 20 }),
    ]);
    assert.match(converted.stderr, /Writing \d+ bytes/);
    const executed = JSON.parse(readFileSync(join(cwd, `${stem}.executed.ipynb`), "utf8")) as { cells: { cell_type: string; source: string[]; outputs?: { output_type: string }[] }[] };
    const code = executed.cells.filter((c) => c.cell_type === "code" && c.source.join("").trim());
    assert.ok(code.length >= 5);
    assert.deepEqual(code.flatMap((c) => c.outputs!.filter((o) => o.output_type === "error")), []);
    const [fromRun, fromJupyter] = await Promise.all([latestMetrics(storeRun), latestMetrics(storeJupyter)]);
    assert.ok(Object.keys(fromRun).length >= 2, JSON.stringify(fromRun));
    assert.deepEqual(fromJupyter, fromRun);
    rmSync(join(cwd, `${stem}.executed.ipynb`));
  });
}
