// The .mlnb NotebookSerializer: a thin VS Code class over the pure parse/serialize of kernel/notebook/format.ts.
import * as vscode from "vscode";
import { parseNotebook, serializeNotebook } from "../kernel/notebook/format.js";
import { fromPlainNotebook, openErrorMessage, toPlainNotebook, type PlainCell, type PlainNotebook } from "./notebookData.js";
import type { OutputMetadata, PlainOutput } from "./outputs.js";

export const NOTEBOOK_TYPE = "mlnb";

/** Reads and writes .mlnb files for VS Code; a file that does not parse opens no notebook, so it is never overwritten. */
export class MlnbSerializer implements vscode.NotebookSerializer {
  private readonly decoder = new TextDecoder();
  private readonly encoder = new TextEncoder();

  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    let plain: PlainNotebook;
    try {
      plain = toPlainNotebook(parseNotebook(this.decoder.decode(content), "notebook"));
    } catch (e) {
      // Throwing makes VS Code show the message in place of the editor and open nothing that could be saved.
      throw new Error(openErrorMessage(e));
    }
    const data = new vscode.NotebookData(plain.cells.map(toCellData));
    data.metadata = plain.metadata;
    return data;
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    const plain: PlainNotebook = { metadata: data.metadata ?? {}, cells: data.cells.map(fromCellData) };
    return this.encoder.encode(serializeNotebook(fromPlainNotebook(plain)));
  }
}

/** Output as VS Code's class. */
export function toCellOutput(o: PlainOutput): vscode.NotebookCellOutput {
  return new vscode.NotebookCellOutput(
    o.items.map((i) => new vscode.NotebookCellOutputItem(i.data, i.mime)),
    o.metadata as unknown as Record<string, unknown>,
  );
}

function toCellData(c: PlainCell): vscode.NotebookCellData {
  const kind = c.kind === "markdown" ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code;
  const cell = new vscode.NotebookCellData(kind, c.value, c.languageId);
  cell.outputs = c.outputs.map(toCellOutput);
  cell.metadata = c.metadata;
  if (c.executionOrder !== undefined) cell.executionSummary = { executionOrder: c.executionOrder };
  return cell;
}

function fromCellData(c: vscode.NotebookCellData): PlainCell {
  return {
    kind: c.kind === vscode.NotebookCellKind.Markup ? "markdown" : "code",
    value: c.value,
    languageId: c.languageId,
    outputs: (c.outputs ?? []).map((o) => ({
      items: o.items.map((i) => ({ mime: i.mime, data: i.data })),
      metadata: (o.metadata ?? { outputType: "display_data" }) as OutputMetadata,
    })),
    ...(c.executionSummary?.executionOrder !== undefined ? { executionOrder: c.executionSummary.executionOrder } : {}),
    metadata: c.metadata ?? {},
  };
}
