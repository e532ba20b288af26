// Headless Debian Chromium through playwright-core, set up as the e2e tests need it.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

export const CHROMIUM = process.env.MLNB_CHROMIUM ?? "/usr/bin/chromium";

/** A fresh headless browser profile (no sync, updates or GPU). */
export async function launchBrowser(): Promise<BrowserContext> {
  const profile = mkdtempSync(join(tmpdir(), "mlnb-chromium-"));
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
}

/** The workbench URL with an extension in development mode (and optionally its tests). */
export function workbenchUrl(base: string, folder: string, extensionPath?: string, testsPath?: string): string {
  const authority = new URL(base).host; // the workbench takes location.host as the remote authority
  const payload: [string, string][] = [];
  if (extensionPath) payload.push(["extensionDevelopmentPath", `vscode-remote://${authority}${extensionPath}`]);
  if (testsPath) payload.push(["extensionTestsPath", `vscode-remote://${authority}${testsPath}`]);
  const query = `folder=${encodeURIComponent(folder)}${payload.length ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ""}`;
  return `${base}?${query}`;
}
