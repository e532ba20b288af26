// Runs the mocha suite inside code-server's extension host: the browser opens a workbench whose payload names the tests.
import { format } from "node:util";
import { join } from "node:path";
import { launchBrowser, workbenchUrl } from "./browser.js";
import { ROOT } from "./workspace.js";

export interface SuiteResult {
  passed: number;
  failed: number;
  skipped: number;
  /** Exit code the extension host reported (0 when every test passed), or "timeout". */
  exit: number | "timeout";
}

/** Run out/test/e2e/index.cjs in the extension host of the code-server at `base`, with `folder` open. */
export async function runExtensionTests(base: string, folder: string, timeoutMs = 600_000): Promise<SuiteResult> {
  const context = await launchBrowser();
  const result: SuiteResult = { passed: 0, failed: 0, skipped: 0, exit: "timeout" };
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on("pageerror", (e) => console.log("[pageerror]", e.message));
    if (process.env.VERBOSE) page.on("console", (m) => console.log("[browser]", m.type(), m.text().slice(0, 400)));
    let exited: (code: number) => void = () => {};
    const exit = new Promise<number>((r) => (exited = r));
    // The test host's console reaches us through these hooks, as in VS Code's own smoke tests.
    await page.exposeFunction("codeAutomationLog", (type: string, args: unknown[]) => {
      const line = format(...(args ?? []));
      const m = /\[mlnb-e2e\] RESULT passed=(\d+) failed=(\d+) skipped=(\d+)/.exec(line);
      if (m) [result.passed, result.failed, result.skipped] = [Number(m[1]), Number(m[2]), Number(m[3])];
      for (const l of line.split("\n")) console.log(`  ${type === "error" ? "!" : " "} ${l}`);
    });
    await page.exposeFunction("codeAutomationExit", (code: number) => exited(code));
    await page.goto(workbenchUrl(base, folder, ROOT, join(ROOT, "out", "test", "e2e", "index.cjs")));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), timeoutMs)));
    result.exit = await Promise.race([exit, timeout]);
    clearTimeout(timer);
    if (result.exit !== 0 && result.failed === 0) result.failed = 1; // the host failed before or outside mocha
  } finally {
    await context.close();
  }
  return result;
}
