// Puts `mlnb` on the integrated terminal's PATH, so commands the CLI prints (`mlnb script ...`) work in the user's own terminal.
import { delimiter, join } from "node:path";
import * as vscode from "vscode";
import { writeLauncher } from "./launcher.js";
import type { NodeCommand } from "./nodePath.js";

/**
 * Write the `mlnb` launcher into the extension's global storage and prepend that folder to PATH
 * in every new integrated terminal (VS Code's environment variable collection). The launcher is
 * rewritten when `mlnb.nodePath` changes, so the terminal runs the CLI with the kernel's Node.
 */
export function registerTerminalPath(context: vscode.ExtensionContext, node: () => NodeCommand, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const dir = join(context.globalStorageUri.fsPath, "bin");
  const cli = join(context.extensionPath, "bin", "mlnb.js");
  const update = () => {
    try {
      const path = writeLauncher(dir, node(), cli);
      const env = context.environmentVariableCollection;
      env.description = "Puts the `mlnb` command (the mlnb extension's CLI) on PATH.";
      env.prepend("PATH", dir + delimiter);
      log.info(`integrated terminals find mlnb at ${path}`);
    } catch (e) {
      log.warn(`could not put mlnb on the terminal's PATH: ${(e as Error).message}`);
    }
  };
  update();
  return [vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration("mlnb.nodePath") && update())];
}
