// Screenshots of authoring in VS Code (completion, hover, a squiggle before running, a deleted cell's problems gone, variables view, helper edit -> stale), for docs/authoring/.
//
// `node out/test/e2e/authoringShots.js [OUT_DIR]` (default docs/authoring): starts code-server, opens a
// notebook written for the pictures, and drives the editor like a person (Ctrl+Space, hover, Run All).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";
import { launchBrowser, workbenchUrl } from "./browser.js";
import { startCodeServer } from "./codeServer.js";
import { palette } from "./views.js";
import { prepareRun, ROOT } from "./workspace.js";

const out = resolve(process.argv[2] ?? join(ROOT, "docs", "authoring"));
const log = (...a: unknown[]) => console.log("  [shots]", ...a);

const CELLS = [
  '%%stage ingest\nimport { read } from "mlnb";\nconst penguins = await read.json("notebooks/data/penguins.json");\npenguins.numRows()',
  '%%stage split\nimport { split } from "mlnb";\nconst { train, test } = split.trainTestSplit(penguins, { testSize: 0.25 });\nconst rows = train.numRows();\nrows + test.numRows()',
  '%%stage scaled\nimport { scale } from "./helpers.ts";\nconst scaled = scale(rows);\nscaled',
  "// a scratch cell with a typo, deleted below\nconst doubled = rwos * 2;",
  'import { read as reader } from "mlnb";\nreader.',
];

function notebookJson(): string {
  const cells = CELLS.map((source) => ({ kind: "code", language: "typescript", metadata: {}, outputs: [], source: source.split("\n") }));
  return JSON.stringify({ cells, metadata: {}, mlnb: 1 }, null, 2) + "\n";
}

async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(600);
  await page.screenshot({ path: join(out, name) });
  log("saved", name);
}

/** The Monaco line holding `text`, in the notebook's cell editors. */
const line = (page: Page, text: string) => page.locator(".notebook-editor .view-line", { hasText: text }).first();

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const dirs = prepareRun(`shots-${process.pid}`);
  writeFileSync(join(dirs.workspace, "authoring.mlnb"), notebookJson());
  writeFileSync(join(dirs.workspace, "helpers.ts"), "/** Scales a count by ten. */\nexport const scale = (x: number): number => x * 10;\n");
  const server = await startCodeServer(dirs);
  const context = await launchBrowser();
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(workbenchUrl(server.url, dirs.workspace, ROOT), { timeout: 180_000, waitUntil: "domcontentloaded" });
    await page.waitForSelector(".explorer-folders-view .monaco-list-row", { timeout: 180_000 });
    await page.waitForFunction(() => performance.getEntriesByName("code/didLoadExtensions").length > 0, null, { timeout: 180_000 });
    await page.locator(".explorer-folders-view .monaco-list-row", { hasText: /^authoring\.mlnb$/ }).first().click();
    await page.waitForSelector(".notebook-editor .code-cell-row", { timeout: 180_000, state: "attached" });
    log("notebook open");

    // The typo `rwos` is squiggled by the language server before anything runs.
    await page.waitForSelector(".notebook-editor .squiggly-error", { timeout: 120_000 });
    await shot(page, "squiggle-before-running.png");

    // Completion after `reader.`: click at the end of that line, then Ctrl+Space.
    const dotLine = line(page, "reader.");
    await dotLine.scrollIntoViewIfNeeded();
    await dotLine.click();
    await page.keyboard.press("End");
    await page.keyboard.press("Control+Space");
    await page.waitForSelector(".suggest-widget.visible .monaco-list-row", { timeout: 180_000 });
    await page.locator(".suggest-widget.visible .monaco-list-row", { hasText: "csv" }).first().waitFor({ timeout: 30_000 });
    await shot(page, "completion-read-csv.png");
    await page.keyboard.press("Escape");
    await page.keyboard.type("csv");

    // Hover on trainTestSplit (docs/authoring has a picture of it already: a miss here is logged, the other pictures still come).
    await (async () => {
      const splitLine = line(page, "split.trainTestSplit");
      await splitLine.scrollIntoViewIfNeeded();
      const word = splitLine.locator("span", { hasText: /^trainTestSplit$/ }).first();
      const box = (await word.boundingBox({ timeout: 10_000 }).catch(() => null)) ?? (await splitLine.boundingBox());
      if (!box) throw new Error("no box for trainTestSplit");
      await page.mouse.move(box.x + Math.min(30, box.width / 2), box.y + box.height / 2);
      await page.waitForSelector(".monaco-hover:not(.hidden) .hover-contents", { timeout: 30_000 });
      await page.waitForTimeout(1500);
      await shot(page, "hover-trainTestSplit.png");
      await page.mouse.move(5, 5);
    })().catch((e: Error) => log(`no hover picture this time: ${e.message.split("\n")[0]}`));

    // The typo's problem is listed; deleting its cell takes the problem away (Problems view and status bar).
    await palette(page, "View: Focus Problems (Errors, Warnings, Infos)");
    const problems = page.locator(".markers-panel .monaco-list-row");
    await problems.filter({ hasText: /Cannot find name 'rwos'/ }).first().waitFor({ timeout: 60_000 });
    // A click on the problem reveals its cell (cells off screen have no rendered lines) and makes it the notebook's active cell.
    await problems.filter({ hasText: /Cannot find name 'rwos'/ }).first().dblclick();
    await line(page, "rwos").waitFor({ timeout: 30_000 });
    await shot(page, "deleted-cell-problems-before.png");
    await page.keyboard.press("Escape");
    await palette(page, "Notebook: Delete Cell");
    await page.locator(".notebook-editor .view-line", { hasText: "rwos" }).first().waitFor({ state: "detached", timeout: 30_000 });
    await page.locator(".markers-panel", { hasText: /No problems have been detected/ }).first().waitFor({ timeout: 60_000 });
    await shot(page, "deleted-cell-problems-gone.png");
    await palette(page, "View: Hide Panel");

    // Run All: the helper's stage runs; then the variables view lists penguins.
    await page.locator(".notebook-toolbar-container").getByText("Run All", { exact: true }).first().click();
    const picker = page.locator(".quick-input-widget:visible .quick-input-list .monaco-list-row", { hasText: "MLNB Kernel" });
    if (await picker.first().isVisible({ timeout: 3000 }).catch(() => false)) await picker.first().click();
    // The Variables view lives in the mlnb side bar, beside Runs.
    await page.locator('.activitybar .action-item a[aria-label^="mlnb"]').first().click({ timeout: 30_000 }).catch(() => log("no mlnb activity bar icon"));
    await page.locator(".monaco-list-row", { hasText: /^penguins/ }).first().waitFor({ timeout: 240_000 });
    await shot(page, "variables-view.png");

    // Editing the helper on disk (once its stage ran and is fresh) marks its stage stale (status bar of the cell).
    await page.locator(".notebook-editor .cell-statusbar-container", { hasText: /stage scaled · fresh/ }).first().waitFor({ timeout: 240_000 });
    writeFileSync(join(dirs.workspace, "helpers.ts"), "/** Scales a count by a hundred. */\nexport const scale = (x: number): number => x * 100;\n");
    const scaledLine = line(page, "scale(rows)");
    await scaledLine.scrollIntoViewIfNeeded();
    await page.locator(".notebook-editor .cell-statusbar-container", { hasText: /stage scaled · stale/ }).first().waitFor({ timeout: 90_000 });
    await shot(page, "helper-edit-marks-stale.png");
  } finally {
    await context.close();
    await server.stop();
    rmSync(dirs.run, { recursive: true, force: true });
  }
}

await main();
