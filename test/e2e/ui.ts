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
  /** For a picture of the notebook: hide the side bar. */
  frame?: { hideSideBar?: boolean };
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
    // The workbench's own frame holds the cell's source text: outputs are only in the webview frames.
    if (frame === page.mainFrame()) continue;
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

/** Where the first drawn chart's top is in the page, if it is drawn. */
async function chartTop(page: Page): Promise<number | undefined> {
  for (const frame of page.frames()) {
    const box = await frame.locator(".mlnb-vegalite svg").first().boundingBox({ timeout: 200 }).catch(() => null);
    if (box) return box.y;
  }
  return undefined;
}

/** Open the Explorer path one segment at a time, clicking folders to expand them and then the file. */
export async function openFromExplorer(page: Page, relPath: string): Promise<void> {
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
      await page.locator(".notebook-toolbar-container").getByText("Run All", { exact: true }).first().click();
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
    // VS Code renders only the outputs near the view: scroll with the wheel over the cells (not over a
    // tall element's off-screen centre) to bring cells into view.
    const wheel = async (dy: number) => {
      await page.mouse.move(900, 500);
      // The notebook scrolls a bounded amount per wheel event: send many small ones.
      for (let left = Math.abs(dy); left > 0; left -= 400) {
        await page.mouse.wheel(0, Math.sign(dy) * Math.min(400, left));
        await page.waitForTimeout(40);
      }
      await page.waitForTimeout(300);
    };
    if (o.runAll) await wheel(30_000);
    if (o.runAll) {
      // Done when the last cell shows success; a failed cell anywhere ends the wait at once.
      const last = page.locator(".notebook-editor .code-cell-row").last();
      for (;;) {
        if (await page.locator(".notebook-editor .codicon-notebook-state-error").first().isVisible().catch(() => false)) {
          const texts = (await frameTexts(page)).map((f) => f.text).join("\n");
          throw new Error(`a cell failed during Run All: ${(/\w*Error[^\n]*/.exec(texts) ?? ["(see the screenshot)"])[0]}`);
        }
        if (await last.locator(".codicon-notebook-state-success").first().isVisible().catch(() => false)) break;
        if (Date.now() > deadline) throw new Error("Run All did not finish within the time limit");
        await page.waitForTimeout(500);
      }
      log("Run All finished: the last cell shows success");
    }
    while (!result.output && Date.now() < deadline) {
      for (const { text } of await frameTexts(page)) {
        const m = o.expect.exec(text);
        if (m) result.output = m[0];
      }
      if (!result.output) await page.waitForTimeout(250);
    }
    log("output read from the webview:", JSON.stringify(result.output));
    if (!result.output) {
      // Say what the webview did show, to explain the failure.
      for (const { text } of await frameTexts(page)) log("webview text:", JSON.stringify(text.slice(-400)));
    }
    if (o.expectChart) {
      if (o.runAll) {
        // Back to the top, then down until the first chart is drawn, and a little more to show it whole.
        await wheel(-30_000);
        for (let i = 0; i < 80; i++) {
          const top = await chartTop(page);
          if (top !== undefined && top < 700) {
            if (top > 250) await wheel(top - 250);
            break;
          }
          await wheel(250);
        }
      }
      const chartDeadline = Math.max(deadline, Date.now() + 20_000);
      while (!(result.chart = await chartDrawn(page)) && Date.now() < chartDeadline) await page.waitForTimeout(250);
      log("vega-lite chart drawn by the mlnb renderer:", result.chart);
    }
    const first = page.locator(".notebook-editor .code-cell-row").first();
    result.executionOrder = (await first.locator(".execution-count-label").first().innerText({ timeout: 2000 }).catch(() => "")).trim();
    log("first cell's execution order label:", JSON.stringify(result.executionOrder));
    result.ok = Boolean(result.output) && (!o.expectChart || result.chart);
    if (!result.ok) result.error = !result.output ? `no output matching ${o.expect} within the time limit` : "no vega-lite chart drawn";
    if (o.frame?.hideSideBar) await page.keyboard.press("Control+B");
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
