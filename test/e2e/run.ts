// `npm run test:e2e`: starts code-server on a free loopback port, runs the extension-host suite and the UI test, stops everything.
//
// Installs nothing: code-server comes from test/e2e/install-code-server.sh, Chromium from apt.
// Options: --only suite|ui|views|around, --shots DIR (the views and around tests' screenshots), --vsix FILE (test the packaged extension in the UI test instead of
// the development folder), --screenshot FILE (open notebooks/penguins.mlnb, Run All, save a picture),
// --keep (keep the run folder under .vscode-test/e2e/).
import { copyFileSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { installVsix, startCodeServer, type CodeServer } from "./codeServer.js";
import { runAroundTest } from "./around.js";
import { runExtensionTests } from "./exttest.js";
import { runUiTest } from "./ui.js";
import { runViewsTest } from "./views.js";
import { prepareRun, ROOT } from "./workspace.js";

const { values: opts } = parseArgs({
  options: { only: { type: "string" }, shots: { type: "string" }, vsix: { type: "string" }, screenshot: { type: "string" }, keep: { type: "boolean", default: false } },
});

async function main(): Promise<{ passed: number; failed: number }> {
  for (const built of ["out/extension.cjs", "out/test/e2e/index.cjs", "out/renderer/vegalite.js"]) {
    if (!existsSync(join(ROOT, built))) throw new Error(`${built} is missing: run npm run build:ext first`);
  }
  const dirs = prepareRun();
  // The UI test gets its own copy: the suite runs and saves fixtures/sample.mlnb.
  copyFileSync(join(dirs.workspace, "fixtures", "sample.mlnb"), join(dirs.workspace, "ui-sample.mlnb"));
  const vsix = opts.vsix ? resolve(opts.vsix) : undefined;
  if (vsix) await installVsix(dirs, vsix);
  let passed = 0;
  let failed = 0;
  let server: CodeServer | undefined;
  try {
    server = await startCodeServer(dirs);
    console.log(`code-server at ${server.url} (workspace ${dirs.workspace})`);
    if (opts.screenshot) {
      const shot = resolve(opts.screenshot);
      mkdirSync(dirname(shot), { recursive: true });
      const r = await runUiTest({ base: server.url, folder: dirs.workspace, extensionPath: vsix ? undefined : ROOT, notebook: "notebooks/penguins.mlnb", runAll: true, expect: /\bdeploy\b/, expectChart: true, screenshot: shot, timeoutMs: 300_000, frame: { hideSideBar: true } });
      console.log(r.ok ? "screenshot of the example notebook saved" : `screenshot taken, but: ${r.error}`);
      return { passed: r.ok ? 1 : 0, failed: r.ok ? 0 : 1 };
    }
    if (!opts.only || opts.only === "suite") {
      console.log("\nmocha suite in the extension host:");
      const t0 = Date.now();
      const r = await runExtensionTests(server.url, dirs.workspace);
      console.log(`suite: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped; extension host exit ${r.exit}; ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      passed += r.passed;
      failed += r.failed;
    }
    if (!opts.only || opts.only === "ui") {
      console.log("\nUI test in Chromium:");
      const shot = join(ROOT, ".vscode-test", "e2e", "ui.png");
      const r = await runUiTest({ base: server.url, folder: dirs.workspace, extensionPath: vsix ? undefined : ROOT, notebook: "ui-sample.mlnb", expect: /RESULT:[^\n]*/, expectChart: true, screenshot: shot });
      console.log(`ui: ${r.ok ? "passed" : `FAILED: ${r.error}`} (clicks a cell's Run button, reads "${r.output ?? ""}", chart drawn: ${r.chart})`);
      if (r.ok) passed++;
      else failed++;
    }
    if ((!opts.only || opts.only === "views") && !vsix) {
      console.log("\nviews test in Chromium (stage graph, table output, Compare Runs, stored table):");
      const t0 = Date.now();
      const shots = opts.shots ? resolve(opts.shots) : dirs.run;
      mkdirSync(shots, { recursive: true });
      const r = await runViewsTest({ base: server.url, folder: dirs.workspace, extensionPath: ROOT, shots });
      const bad = r.checks.filter((c) => !c.ok).length;
      console.log(`views: ${r.checks.length - bad} checks passed, ${bad} failed; ${((Date.now() - t0) / 1000).toFixed(1)} s; screenshots in ${shots}`);
      if (bad === 0 && r.checks.length > 0) passed++;
      else failed++;
    }
    if ((!opts.only || opts.only === "around") && !vsix) {
      console.log("\naround-the-cells test in Chromium (outline, export asking to save, mlnb script in the terminal):");
      const t0 = Date.now();
      const shots = opts.shots ? resolve(opts.shots) : dirs.run;
      mkdirSync(shots, { recursive: true });
      const r = await runAroundTest({ base: server.url, folder: dirs.workspace, extensionPath: ROOT, shots });
      const bad = r.checks.filter((c) => !c.ok).length;
      console.log(`around: ${r.checks.length - bad} checks passed, ${bad} failed; ${((Date.now() - t0) / 1000).toFixed(1)} s; screenshots in ${shots}`);
      if (bad === 0 && r.checks.length > 0) passed++;
      else failed++;
    }
  } finally {
    await server?.stop();
    if (failed === 0 && !opts.keep) rmSync(dirs.run, { recursive: true, force: true });
    else console.log(`run folder kept: ${dirs.run}`);
  }
  return { passed, failed };
}

try {
  const { passed, failed } = await main();
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
} catch (e) {
  console.log(`e2e run failed: ${(e as Error).message}`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}
