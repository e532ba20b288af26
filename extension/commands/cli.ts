// Commands that run the `mlnb` CLI in a terminal: Export Pipeline Script and Serve Model.
import * as vscode from "vscode";
import { basename, dirname, join } from "node:path";
import type { NodeCommand } from "../nodePath.js";
import { shellQuote } from "../shell.js";
import { targetNotebook } from "./notebookArg.js";

function runInTerminal(name: string, cwd: string, node: NodeCommand, cli: string, args: string[]): vscode.Terminal {
  const terminal = vscode.window.createTerminal({ name, cwd, env: node.env });
  terminal.show();
  terminal.sendText([node.nodePath, cli, ...args].map(shellQuote).join(" "));
  return terminal;
}

/** The button of the export prompt that saves the notebook and exports it. */
export const SAVE_AND_EXPORT = "Save and Export";

/** Ask (modal) before saving an edited notebook for export; true when it was saved. */
async function confirmSave(notebook: vscode.NotebookDocument): Promise<boolean> {
  const name = basename(notebook.uri.fsPath);
  const choice = await vscode.window.showWarningMessage(
    `${name} has unsaved changes. Export reads the notebook from disk: save it first?`,
    { modal: true, detail: "Cancel leaves the notebook unsaved and exports nothing." },
    SAVE_AND_EXPORT,
  );
  if (choice !== SAVE_AND_EXPORT) return false;
  if (await notebook.save()) return true;
  void vscode.window.showErrorMessage(`mlnb: ${name} was not saved, so it was not exported.`);
  return false;
}

/** Register Export Pipeline Script and Serve Model; `node()` resolves the Node to run the CLI with. */
export function registerCliCommands(extensionPath: string, node: () => NodeCommand): vscode.Disposable[] {
  const cli = join(extensionPath, "bin", "mlnb.js");
  return [
    vscode.commands.registerCommand("mlnb.exportPipeline", async (arg?: unknown) => {
      const notebook = targetNotebook(arg);
      if (!notebook) return;
      if (notebook.isUntitled || notebook.uri.scheme !== "file") {
        return void vscode.window.showWarningMessage("mlnb: save the notebook to a file before exporting it.");
      }
      // The CLI reads the file: unsaved edits must reach the disk first, and saving is the user's call.
      if (notebook.isDirty && !(await confirmSave(notebook))) return;
      const file = notebook.uri.fsPath;
      return runInTerminal("mlnb export", dirname(file), node(), cli, ["export", basename(file)]);
    }),
    vscode.commands.registerCommand("mlnb.serveModel", async (arg?: unknown) => {
      const notebook = vscode.window.activeNotebookEditor ? targetNotebook(arg) : undefined;
      const folder = notebook && notebook.uri.scheme === "file" ? vscode.Uri.file(dirname(notebook.uri.fsPath)) : vscode.workspace.workspaceFolders?.[0]?.uri;
      const picked = await vscode.window.showOpenDialog({ defaultUri: folder, canSelectFiles: true, canSelectFolders: true, canSelectMany: false, openLabel: "Serve this model bundle" });
      if (!picked?.[0]) return;
      const port = await vscode.window.showInputBox({ prompt: "Port for the model's HTTP API", value: "8080", validateInput: (v) => (/^\d{2,5}$/.test(v) && +v < 65536 ? undefined : "a port number, 1024-65535") });
      if (!port) return;
      const bundle = picked[0].fsPath;
      return runInTerminal("mlnb serve", dirname(bundle), node(), cli, ["serve", bundle, "--port", port]);
    }),
  ];
}
