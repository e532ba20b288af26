// The UI test: drives code-server's workbench in Chromium like a person (open the notebook, click Run, read the output).
import type { Frame, Page } from "playwright-core";
import { launchBrowser, workbenchUrl } from "./browser.js";

export interface UiTestOptions {
  base: string;
  folder: string;
  /** Load the extension from this folder in development mode; omit when it was installed from the .vsix. */
  extensionPath?: string;
  /** Notebook path relative to the workspace folder, opened through the Explorer. */
  notebook: string;
  /** Click the notebook's Run All instead of the first cell's Run button. */
  runAll?: boolean;
  /** Output text to wait for in the notebook's webview. */
  expect: RegExp;
  /** Also require a vega-lite chart drawn by our renderer. */
  expectChart?: boolean;
  screenshot: string;
  timeoutMs?: number;
}

export interface UiTestResult {
  ok: boolean;
  output?: string;
  chart: boolean;
  executionOrder?: string;
  error?: string;
}

const T0 = Date.now();
const log = (...a: unknown[]) => console.log(`  [ui ${((Date.now() - T0) / 1000).toFixed(1)}s]`, ...a);

/** Text of every frame (outputs live in the notebook webview's nested, same-origin iframes). */
async function frameTexts(page: Page): Promise<{ frame: Frame; text: string }[]> {
  const out: { frame: Frame; text: string }[] = [];
  for (const frame of page.frames()) {
    const text = await frame.evaluate(() => (document.body ? document.body.innerText : "")).catch(() => "");
    if (text) out.push({ frame, text });
  }
  return out;
}

async function chartDrawn(page: Page): Promise<boolean> {
  for (const frame of page.frames()) {
    const n = await frame.evaluate(() => document.querySelectorAll(".mlnb-vegalite svg .mark-rect, .mlnb-vegalite svg .mark-symbol, .mlnb-vegalite svg .mark-line, .mlnb-vegalite svg path").length).catch(() => 0);
    if (n > 0) return true;
  }
  return false;
}

/** Open the Explorer path one segment at a time, clicking folders to expand them and then the file. */
async function openFromExplorer(page: Page, relPath: string): Promise<void> {
  const parts = relPath.split("/");
  for (const [i, part] of parts.entries()) {
    const row = page.locator(".explorer-folders-view .monaco-list-row", { hasText: new RegExp(`^${part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) }).first();
    await row.waitFor({ timeout: 30_000 });
    const expanded = await row.getAttribute("aria-expanded");
    if (i < parts.length - 1 && expanded === "true") continue;
    await row.click();
  }
}

/** Run the UI test; always saves a screenshot (of the failure, if it failed). */
export async function runUiTest(o: UiTestOptions): Promise<UiTestResult> {
  const context = await launchBrowser();
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("pageerror", (e) => log("[pageerror]", e.message));
  const result: UiTestResult = { ok: false, chart: false };
  try {
    await page.goto(workbenchUrl(o.base, o.folder, o.extensionPath));
    await page.waitForSelector(".monaco-workbench", { timeout: 60_000 });
    await page.waitForSelector(".explorer-folders-view .monaco-list-row", { timeout: 60_000 });
    // Before extensions are registered an .mlnb opens as plain JSON text.
    await page.waitForFunction(() => performance.getEntriesByName("code/didLoadExtensions").length > 0, null, { timeout: 60_000 });
    log("workbench ready");
    await openFromExplorer(page, o.notebook);
    await page.waitForSelector(".notebook-editor .code-cell-row", { timeout: 30_000 });
    log("notebook open");
    if (o.runAll) {
      await page.locator(".notebook-toolbar-container .action-label", { hasText: /Run All/ }).first().click();
    } else {
      const cell = page.locator(".notebook-editor .code-cell-row").first();
      await cell.hover();
      await cell.locator(".run-button-container .action-label").first().click();
    }
    log(o.runAll ? "clicked Run All" : "clicked the first cell's Run button");
    // A kernel picker shows when VS Code has not picked the controller yet.
    const picker = page.locator(".quick-input-widget:visible .quick-input-list .monaco-list-row", { hasText: "MLNB Kernel" });
    if (await picker.first().isVisible({ timeout: 3000 }).catch(() => false)) {
      log("kernel picker shown: picking MLNB Kernel");
      await picker.first().click();
    }
    const deadline = Date.now() + (o.timeoutMs ?? 90_000);
    while (!result.output && Date.now() < deadline) {
      for (const { text } of await frameTexts(page)) {
        const m = o.expect.exec(text);
        if (m) result.output = m[0];
      }
      if (!result.output) await page.waitForTimeout(250);
    }
    log("output read from the webview:", JSON.stringify(result.output));
    if (o.expectChart) {
      while (!(result.chart = await chartDrawn(page)) && Date.now() < deadline) await page.waitForTimeout(250);
      log("vega-lite chart drawn by the mlnb renderer:", result.chart);
    }
    const first = page.locator(".notebook-editor .code-cell-row").first();
    result.executionOrder = (await first.locator(".execution-count-label").first().innerText({ timeout: 2000 }).catch(() => "")).trim();
    log("first cell's execution order label:", JSON.stringify(result.executionOrder));
    result.ok = Boolean(result.output) && (!o.expectChart || result.chart);
    if (!result.ok) result.error = !result.output ? `no output matching ${o.expect} within the time limit` : "no vega-lite chart drawn";
    await page.waitForTimeout(800); // let the last output paint before the screenshot
  } catch (e) {
    result.error = (e as Error).message.split("\n")[0];
  } finally {
    await page.screenshot({ path: o.screenshot }).catch((e: Error) => log("screenshot failed:", e.message));
    log("screenshot:", o.screenshot);
    await context.close();
  }
  return result;
}
