// The "around the cells" UI test in code-server's workbench: stages in the Outline view, export asking before it saves, the printed `mlnb script` run in the terminal.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { launchBrowser, workbenchUrl } from "./browser.js";
import { openFromExplorer } from "./ui.js";
import { palette, runAll } from "./views.js";

export interface AroundTestOptions {
  base: string;
  folder: string;
  extensionPath: string;
  /** Folder for the screenshots (outline-stages.png, export-asks-to-save.png, terminal-mlnb-script.png). */
  shots: string;
}

const T0 = Date.now();
const log = (...a: unknown[]) => console.log(`  [around ${((Date.now() - T0) / 1000).toFixed(1)}s]`, ...a);

const NOTEBOOK = "around.mlnb";
const CELLS = [
  { kind: "markdown", source: "# Around the cells\n\nThree stages, to see them in the outline." },
  { kind: "code", source: '%%stage ingest\nimport * as aq from "arquero";\nconst rows = aq.table({ x: [1, 2, 3, 4], y: [2, 4, 6, 8] });\nrows.numRows()' },
  { kind: "code", source: "%%stage features --needs ingest\nconst doubled = rows.derive({ z: (d: any) => d.x * 2 });\ndoubled.numRows()" },
  { kind: "code", source: '%%stage report --gate "total>=10"\nimport { log } from "mlnb";\n// total of z\nconst total = (doubled.array("z") as number[]).reduce((s, v) => s + v, 0);\nlog.metric("total", total);\ntotal' },
];

/** Terminals run sh with a short prompt ("$ ", or "# " as root), so the pictures show commands and output, not this machine's folders. */
const SHORT_PROMPT = {
  "terminal.integrated.profiles.linux": { "mlnb-e2e-sh": { path: "sh", env: { PS1: "$ " } } },
  "terminal.integrated.defaultProfile.linux": "mlnb-e2e-sh",
};

/** The text of the active terminal (DOM renderer), or "" when it cannot be read. */
async function terminalText(page: Page): Promise<string> {
  return page.locator(".terminal-wrapper.active .xterm-rows").last().innerText().catch(() => "");
}

/** Wait until an Outline view row matches `name`, unfolding folded rows as they come (the outline redraws when symbols arrive). */
async function outlineShows(page: Page, name: RegExp, timeoutMs: number): Promise<boolean> {
  const rows = page.locator(".outline-pane .monaco-list-row");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await rows.filter({ hasText: name }).count()) return true;
    const folded = rows.and(page.locator('[aria-expanded="false"]'));
    if (await folded.count()) await folded.first().locator(".monaco-tl-twistie").click({ timeout: 1000 }).catch(() => undefined);
    else await page.waitForTimeout(500);
  }
  return (await rows.filter({ hasText: name }).count()) > 0;
}

/** Run the scenario; every check is recorded, screenshots are saved whatever happens. */
export async function runAroundTest(o: AroundTestOptions): Promise<{ checks: { name: string; ok: boolean; detail: string }[] }> {
  const file = join(o.folder, NOTEBOOK);
  const cells = CELLS.map((c) => ({ kind: c.kind, language: c.kind === "code" ? "typescript" : "markdown", metadata: {}, outputs: [], source: c.source.split("\n") }));
  writeFileSync(file, JSON.stringify({ cells, metadata: {}, mlnb: 1 }, null, 2) + "\n");
  // The terminal draws with the DOM renderer, so its text can be read back. VS Code in a browser saves
  // edits after a second by default (files.autoSave); desktop VS Code does not, and the export prompt is for that case.
  mkdirSync(join(o.folder, ".vscode"), { recursive: true });
  writeFileSync(join(o.folder, ".vscode", "settings.json"), JSON.stringify({ "terminal.integrated.gpuAcceleration": "off", "outline.collapseItems": "alwaysExpand", "files.autoSave": "off", ...SHORT_PROMPT }, null, 2));
  const context = await launchBrowser();
  const page = context.pages()[0] ?? (await context.newPage());
  const checks: { name: string; ok: boolean; detail: string }[] = [];
  const check = (name: string, ok: boolean, detail: string) => {
    checks.push({ name, ok, detail });
    log(`${ok ? "ok" : "FAILED"}: ${name}: ${detail}`);
  };
  const shot = async (name: string) => {
    await page.waitForTimeout(700);
    await page.screenshot({ path: join(o.shots, name) });
  };
  try {
    await page.goto(workbenchUrl(o.base, o.folder, o.extensionPath), { timeout: 120_000 });
    await page.waitForSelector(".explorer-folders-view .monaco-list-row", { timeout: 60_000 });
    await page.waitForFunction(() => performance.getEntriesByName("code/didLoadExtensions").length > 0, null, { timeout: 60_000 });
    // The Outline view is open (as in a user's Explorer) when the notebook opens.
    await palette(page, "Explorer: Focus on Outline View");
    await openFromExplorer(page, NOTEBOOK);
    await page.waitForSelector(".notebook-editor .code-cell-row", { timeout: 30_000 });
    // The Outline view gets the side bar's height (its list draws only the rows it has room for).
    const folders = page.locator(".pane-header", { hasText: /^\s*workspace/i }).first();
    if ((await folders.getAttribute("aria-expanded")) === "true") await folders.click();
    const outline = page.locator(".outline-pane .monaco-list-row");
    const early = await outlineShows(page, /^\s*features · needs ingest\s*$/, 90_000);
    check("the outline shows stage symbols before any kernel runs", early, (await outline.allInnerTexts()).join(" | "));
    await runAll(page, 240_000);
    log("Run All finished");

    // 1. The Outline view lists the stage cells, each with its stage symbol and needs (from the kernel's graph once it ran).
    await outlineShows(page, /^\s*report · needs features\s*$/, 60_000);
    const rows = (await outline.allInnerTexts()).map((t) => t.replace(/\s+/g, " ").trim());
    check("the outline lists every stage cell", ["%%stage ingest", "%%stage features --needs ingest", '%%stage report --gate "total>=10"'].every((l) => rows.some((r) => r.startsWith(l))), rows.join(" | "));
    check("each stage is a symbol with its needs", rows.includes("features · needs ingest") && rows.includes("report · needs features"), rows.join(" | "));
    await shot("outline-stages.png");

    // 2. Export of an edited notebook asks first; Cancel exports nothing and leaves the file as it was.
    const saved = readFileSync(file, "utf8");
    const line = page.locator(".notebook-editor .view-line", { hasText: "// total of z" }).first();
    await line.click();
    await page.keyboard.press("End");
    await page.keyboard.type(" (edited)");
    await palette(page, "mlnb: Export Pipeline Script");
    const dialog = page.locator(".monaco-dialog-box");
    await dialog.waitFor({ timeout: 20_000 });
    const question = (await dialog.locator(".dialog-message-container").innerText()).replace(/\s+/g, " ");
    const buttons = (await dialog.locator(".dialog-buttons .monaco-button").allInnerTexts()).map((b) => b.trim());
    check("export of an edited notebook asks before saving", /^around\.mlnb has unsaved changes\. Export reads the notebook from disk: save it first\?/.test(question) && buttons.includes("Save and Export") && buttons.includes("Cancel"), `${question} [${buttons.join(" | ")}]`);
    await shot("export-asks-to-save.png");
    await dialog.getByRole("button", { name: "Cancel", exact: true }).click();
    await dialog.waitFor({ state: "hidden", timeout: 20_000 });
    // Nothing may happen after Cancel: give a wrong save or export time to show before looking.
    await page.waitForTimeout(2000);
    const pipeline = join(o.folder, "around.pipeline.ts");
    const dirty = await page.locator(".tabs-container .tab.dirty", { hasText: NOTEBOOK }).count();
    check("Cancel saves and exports nothing", readFileSync(file, "utf8") === saved && !existsSync(pipeline) && dirty === 1, `pipeline exists: ${existsSync(pipeline)}; file unchanged: ${readFileSync(file, "utf8") === saved}; tab dirty: ${dirty === 1}`);

    // 3. Save and Export: the notebook is saved, the export runs in a terminal and prints the command to run the script.
    await palette(page, "mlnb: Export Pipeline Script");
    await dialog.waitFor({ timeout: 20_000 });
    await dialog.getByRole("button", { name: "Save and Export" }).click();
    const deadline = Date.now() + 120_000;
    while (!existsSync(pipeline) && Date.now() < deadline) await page.waitForTimeout(500);
    check("Save and Export saves the edit and writes the pipeline script", existsSync(pipeline) && readFileSync(file, "utf8").includes("// total of z (edited)"), `pipeline exists: ${existsSync(pipeline)}`);
    let text = "";
    for (let i = 0; i < 60 && !/run it: .*script/.test(text); i++) await page.waitForTimeout(500), (text = await terminalText(page));
    const hint = /run it: (.*script around\.pipeline\.ts --verify)/.exec(text.replace(/\s*\n\s*/g, "\n"))?.[1];
    check("the export prints the plain mlnb command (mlnb is on the terminal's PATH)", hint === "mlnb script around.pipeline.ts --verify", JSON.stringify(text.slice(-300)));

    // 4. The printed command, typed as a user would into a new integrated terminal of their own, runs and verifies the outputs.
    const terminals = await page.locator(".terminal-wrapper").count();
    await palette(page, "Terminal: Create New Terminal");
    await page.waitForFunction((n) => document.querySelectorAll(".terminal-wrapper").length > n, terminals, { timeout: 30_000 });
    text = "";
    for (let i = 0; i < 60 && !/^[$#]\s*$/m.test(text); i++) await page.waitForTimeout(500), (text = await terminalText(page));
    await page.locator(".terminal-wrapper.active .xterm").last().click();
    await page.keyboard.type("mlnb script around.pipeline.ts --verify\n");
    for (let i = 0; i < 240 && !/verified \d+ output hash|mlnb script: .*(error|differ|failed)/i.test(text); i++) await page.waitForTimeout(500), (text = await terminalText(page));
    check("mlnb script ... --verify runs in the integrated terminal", /stages? ran in [\d.]+ s \(run \d+\); verified \d+ output hash/.test(text.replace(/\s*\n\s*/g, " ")), JSON.stringify(text.slice(-400)));
    await shot("terminal-mlnb-script.png");
  } catch (e) {
    check("the scenario ran to its end", false, (e as Error).message.split("\n")[0]!);
    await page.screenshot({ path: join(o.shots, "around-failure.png") }).catch(() => {});
  } finally {
    await context.close();
  }
  return { checks };
}
