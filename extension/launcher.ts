// The `mlnb` launcher the integrated terminal finds on PATH: a tiny script running the extension's CLI with the kernel's Node (pure, no `vscode`).
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { NodeCommand } from "./nodePath.js";
import { shellQuote } from "./shell.js";

/** One launcher file: its name in the launcher folder and its text. */
export interface LauncherFile {
  name: string;
  text: string;
}

/**
 * The launcher for a platform: on POSIX an `mlnb` sh script, on Windows `mlnb.cmd`. Each runs
 * `cli` (the extension's bin/mlnb.js) with the Node the kernel runs on and that Node's extra
 * environment (VS Code's own runtime needs ELECTRON_RUN_AS_NODE=1), passing every argument on.
 */
export function launcherFile(node: NodeCommand, cli: string, platform: NodeJS.Platform = process.platform): LauncherFile {
  const env = Object.entries(node.env);
  if (platform === "win32") {
    const sets = env.map(([k, v]) => `set "${k}=${v}"\r\n`).join("");
    return { name: "mlnb.cmd", text: `@echo off\r\nrem Written by the mlnb VS Code extension: runs its CLI with the Node its kernels use.\r\nsetlocal\r\n${sets}"${node.nodePath}" "${cli}" %*\r\n` };
  }
  const assigns = env.map(([k, v]) => `${k}=${shellQuote(v)} `).join("");
  return { name: "mlnb", text: `#!/bin/sh\n# Written by the mlnb VS Code extension: runs its CLI with the Node its kernels use.\n${assigns}exec ${shellQuote(node.nodePath)} ${shellQuote(cli)} "$@"\n` };
}

/** Write the launcher into `dir` (created if needed, rewritten only when it changed) and return its path. */
export function writeLauncher(dir: string, node: NodeCommand, cli: string, platform: NodeJS.Platform = process.platform): string {
  const { name, text } = launcherFile(node, cli, platform);
  const path = join(dir, name);
  mkdirSync(dir, { recursive: true });
  let current: string | undefined;
  try {
    current = readFileSync(path, "utf8");
  } catch {
    current = undefined;
  }
  if (current !== text) writeFileSync(path, text);
  if (platform !== "win32") chmodSync(path, 0o755);
  return path;
}
