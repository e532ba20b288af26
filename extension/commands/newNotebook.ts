// The "mlnb: New ML Notebook" command: an untitled .mlnb with a starter pipeline that runs as created.
import * as vscode from "vscode";
import { CELL_LANGUAGE } from "../notebookData.js";
import { NOTEBOOK_TYPE } from "../serializer.js";
import { STARTER_CELLS } from "../starterNotebook.js";

/** Register New ML Notebook. */
export function registerNewNotebook(): vscode.Disposable {
  return vscode.commands.registerCommand("mlnb.newNotebook", async () => {
    const cells = STARTER_CELLS.map((c) =>
      c.kind === "markdown" ? new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, c.source, "markdown") : new vscode.NotebookCellData(vscode.NotebookCellKind.Code, c.source, CELL_LANGUAGE),
    );
    const doc = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, new vscode.NotebookData(cells));
    await vscode.window.showNotebookDocument(doc);
  });
}
