// Pure conversion between the .mlnb notebook model and the plain shape of VS Code's NotebookData (no `vscode` import).
import type { Notebook, NotebookCell } from "../kernel/notebook/format.js";
import { notebookOutputToPlain, plainToNotebookOutput, type PlainOutput } from "./outputs.js";

/** A cell as VS Code holds it, minus the classes. */
export interface PlainCell {
  kind: "code" | "markdown";
  value: string;
  languageId: string;
  outputs: PlainOutput[];
  executionOrder?: number;
  metadata: Record<string, unknown>;
}

/** The language id of mlnb code cells in VS Code: TypeScript plus magics, which VS Code's own TypeScript service leaves alone. */
export const CELL_LANGUAGE = "mlnb-typescript";

/** The language a file's code cell gets in VS Code: the file's "typescript" becomes the mlnb cell language. */
export function toEditorLanguage(fileLanguage: string | undefined): string {
  return !fileLanguage || fileLanguage === "typescript" ? CELL_LANGUAGE : fileLanguage;
}

/** The language saved in the file for a VS Code code cell: the mlnb cell language is saved as "typescript", so the format does not change. */
export function toFileLanguage(editorLanguage: string | undefined): string {
  return !editorLanguage || editorLanguage === CELL_LANGUAGE ? "typescript" : editorLanguage;
}

export interface PlainNotebook {
  cells: PlainCell[];
  metadata: Record<string, unknown>;
}

/** The notebook model as VS Code cells, outputs mapped to items. */
export function toPlainNotebook(nb: Notebook): PlainNotebook {
  return {
    metadata: nb.metadata,
    cells: nb.cells.map((c) => ({
      kind: c.kind,
      value: c.source,
      languageId: c.kind === "markdown" ? "markdown" : toEditorLanguage(c.language),
      outputs: c.kind === "code" ? c.outputs.map(notebookOutputToPlain) : [],
      ...(c.executionCount !== null ? { executionOrder: c.executionCount } : {}),
      metadata: c.metadata,
    })),
  };
}

/** VS Code's cells back to the notebook model for saving. */
export function fromPlainNotebook(data: PlainNotebook): Notebook {
  return {
    metadata: data.metadata ?? {},
    cells: data.cells.map((c): NotebookCell => {
      const executionCount = c.kind === "code" && typeof c.executionOrder === "number" ? c.executionOrder : null;
      return {
        kind: c.kind,
        language: c.kind === "markdown" ? "markdown" : toFileLanguage(c.languageId),
        source: c.value,
        outputs: c.kind === "code" ? c.outputs.map((o) => plainToNotebookOutput(o, executionCount)) : [],
        executionCount,
        metadata: c.metadata ?? {},
      };
    }),
  };
}

/**
 * The message VS Code shows when a file cannot be opened. VS Code does not tell the serializer
 * which file it reads, so the position is given as "line L, column C" rather than file:line:col.
 */
export function openErrorMessage(error: unknown): string {
  const e = error as { name?: string; message?: string; line?: number; column?: number };
  if (e?.name !== "NotebookFormatError") return `Cannot open this .mlnb notebook: ${e?.message ?? String(error)}`;
  // Drop the "file:line:col: " or "file: " prefix: the file name is not known here.
  const detail = (e.message ?? "").replace(e.line !== undefined ? /^[^:]*:\d+:\d+: / : /^[^:]*: /, "");
  const where = e.line !== undefined ? ` at line ${e.line}, column ${e.column ?? 1}` : "";
  return `Cannot open this .mlnb notebook${where}: ${detail}. The file is left as it is.`;
}
