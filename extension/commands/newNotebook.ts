// The "mlnb: New ML Notebook" command: an untitled .mlnb with a starter pipeline.
import * as vscode from "vscode";
import { CELL_LANGUAGE } from "../notebookData.js";
import { NOTEBOOK_TYPE } from "../serializer.js";

/** Starter cells: a title, parameters and the first two stages, so the user sees the shape of a pipeline. */
export const STARTER_CELLS: { kind: "markdown" | "code"; source: string }[] = [
  { kind: "markdown", source: "# New ML pipeline\n\nEach code cell is a stage (`%%stage NAME`); mlnb caches stages whose code, params and inputs did not change." },
  { kind: "code", source: "%%params\nconst testFraction = 0.2;" },
  { kind: "code", source: '%%stage ingest\nimport { read } from "mlnb";\n\nconst raw = await read("data.csv");\nraw' },
];

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
