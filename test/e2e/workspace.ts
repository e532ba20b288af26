// Prepares a scratch run folder for the VS Code tests: a workspace copy of the notebooks, user data and extension dirs.
import { cpSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file is compiled to out/test/e2e/). */
export const ROOT = fileURLToPath(new URL("../../../", import.meta.url)).replace(/[\\/]$/, "");

export interface RunDirs {
  run: string;
  workspace: string;
  userData: string;
  extensions: string;
  config: string;
}

/**
 * A fresh folder under .vscode-test/e2e/ (inside the repo, so the kernel resolves `mlnb` and its
 * dependencies as it does for notebooks/): the tests save notebooks there, never in the repo's copies.
 */
export function prepareRun(name = `run-${process.pid}`): RunDirs {
  const run = join(ROOT, ".vscode-test", "e2e", name);
  const dirs: RunDirs = { run, workspace: join(run, "workspace"), userData: join(run, "user-data"), extensions: join(run, "extensions"), config: join(run, "config") };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  cpSync(join(ROOT, "test", "e2e", "fixtures"), join(dirs.workspace, "fixtures"), { recursive: true });
  if (existsSync(join(ROOT, "notebooks"))) {
    cpSync(join(ROOT, "notebooks"), join(dirs.workspace, "notebooks"), { recursive: true, filter: (src) => !src.includes(`${join("notebooks", ".mlnb")}`) });
  }
  // Notebooks read data by paths relative to the repo layout (../node_modules/vega-datasets/...).
  if (!existsSync(join(dirs.workspace, "node_modules"))) symlinkSync(join(ROOT, "node_modules"), join(dirs.workspace, "node_modules"), "dir");
  mkdirSync(join(dirs.userData, "User"), { recursive: true });
  const settings = {
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": false,
    "workbench.enableExperiments": false,
    "security.workspace.trust.enabled": false,
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    "extensions.autoCheckUpdates": false,
    "extensions.autoUpdate": false,
    "chat.commandCenter.enabled": false,
    "window.commandCenter": false,
    "notebook.confirmDeleteRunningCell": false,
  };
  writeFileSync(join(dirs.userData, "User", "settings.json"), JSON.stringify(settings, null, 2));
  return dirs;
}
