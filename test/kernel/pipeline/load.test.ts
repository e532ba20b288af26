// Tests of loading a .pipeline.ts: types stripped, imports resolved like a notebook cell's, import.meta.url kept.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, test } from "node:test";
import { compileScript, loadScript, PIPELINE_ENTRY } from "../../../kernel/pipeline/load.js";

const root = mkdtempSync(join(tmpdir(), "mlnb-load-"));
after(() => rmSync(root, { recursive: true, force: true }));

test("compiles a script: types gone, mlnb/pipeline and relative imports as file URLs, import.meta.url the script's own", () => {
  const path = join(root, "x.pipeline.ts");
  writeFileSync(join(root, "helper.js"), "export const helper = 1;\n");
  const js = compileScript('import { runPipeline, type Pipeline } from "mlnb/pipeline";\nimport { helper } from "./helper.js";\nconst n: number = 1;\nexport const where = import.meta.url;\n', path);
  assert.ok(js.includes(JSON.stringify(pathToFileURL(PIPELINE_ENTRY).href)), js);
  // A local module's URL carries its content version (?mlnb=...), so an edited helper is loaded anew.
  assert.ok(js.includes(`"${pathToFileURL(join(root, "helper.js")).href}?mlnb=`), js);
  assert.ok(js.includes(`const where = ${JSON.stringify(pathToFileURL(path).href)}`), js);
  assert.doesNotMatch(js, /: number|type Pipeline/);
});

test("loads a script and calls its main with the arguments", async () => {
  const path = join(root, "y.pipeline.ts");
  writeFileSync(path, "export async function main(argv: string[]): Promise<number> { return argv.length + (import.meta.url.endsWith('y.pipeline.ts') ? 40 : 0); }\n");
  const mod = await loadScript(path);
  assert.equal(await mod.main(["a", "b"]), 42);
  writeFileSync(join(root, "z.ts"), "export const x = 1;\n");
  await assert.rejects(loadScript(join(root, "z.ts")), /z\.ts: not an mlnb pipeline script \(it exports no main function\)/);
});
