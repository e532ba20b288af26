// The extension's side of the notebook language server: one child process, cells kept in sync, queries as promises.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import * as vscode from "vscode";
import { LineDecoder, type LangQuery, type LangReply, type LangRequest } from "../../kernel/protocol.js";
import { CELL_LANGUAGE } from "../notebookData.js";
import { notebookFolder } from "../controller.js";
import { NOTEBOOK_TYPE } from "../serializer.js";

/** How the language server's Node is started (same runtime as kernels). */
export type NodeFor = () => { nodePath: string; env?: NodeJS.ProcessEnv };

/** Problems of a notebook's cells, keyed by cell id (the cell document's URI). */
export type DiagnosticsListener = (notebook: string, cells: Extract<LangReply, { type: "diagnostics" }>["cells"]) => void;

/** The key (a file path) the server knows a notebook by. */
export function notebookKey(nb: vscode.NotebookDocument): string {
  return nb.uri.scheme === "file" ? nb.uri.fsPath : join(notebookFolder(nb), `${nb.uri.path.split("/").pop() || "untitled"}.mlnb`);
}

/** The code cells the language service reads (mlnb's TypeScript cells, and plain typescript ones). */
export function langCells(nb: vscode.NotebookDocument): { id: string; text: string }[] {
  return nb
    .getCells()
    .filter((c) => c.kind === vscode.NotebookCellKind.Code && (c.document.languageId === CELL_LANGUAGE || c.document.languageId === "typescript"))
    .map((c) => ({ id: c.document.uri.toString(), text: c.document.getText() }));
}

export class LangClient implements vscode.Disposable {
  private child: ChildProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  /** Notebooks whose cells changed since they were last sent. */
  private readonly dirty = new Set<vscode.NotebookDocument>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly serverPath: string,
    private readonly node: NodeFor,
    private readonly onDiagnostics: DiagnosticsListener,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  private ensure(): ChildProcess {
    if (this.child && this.child.exitCode === null && !this.child.killed) return this.child;
    const { nodePath, env } = this.node();
    const child = spawn(nodePath, [this.serverPath], { env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
    this.child = child;
    const decoder = new LineDecoder<LangReply>((r) => this.dispatch(r), (line) => this.log.warn(`language server: ${line}`));
    child.stdout!.on("data", (c: Buffer) => decoder.push(c));
    child.stderr!.on("data", (c: Buffer) => this.log.warn(`language server: ${c.toString("utf8").trim()}`));
    child.on("error", (e) => this.log.error(`language server could not start: ${e.message}`));
    child.on("exit", (code, signal) => {
      if (this.child === child) this.child = undefined;
      for (const p of this.pending.values()) p.reject(new Error(`language server exited (${code ?? signal})`));
      this.pending.clear();
      // Its notebooks are sent again on the next edit or query.
      for (const nb of vscode.workspace.notebookDocuments) if (nb.notebookType === NOTEBOOK_TYPE) this.dirty.add(nb);
    });
    return child;
  }

  private send(req: LangRequest): void {
    this.ensure().stdin!.write(JSON.stringify(req) + "\n");
  }

  private dispatch(r: LangReply): void {
    if (r.type === "diagnostics") return this.onDiagnostics(r.notebook, r.cells);
    if (r.type === "log") return this.log.info(`language server: ${r.message}`);
    const p = this.pending.get(r.id);
    if (!p) return;
    this.pending.delete(r.id);
    if (r.type === "answer") p.resolve(r.result);
    else p.reject(new Error(r.message));
  }

  /** Note an edit; the cells go to the server shortly (or at once before a query). */
  changed(nb: vscode.NotebookDocument, delayMs = 150): void {
    this.dirty.add(nb);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), delayMs);
  }

  /** Send every notebook with unsent edits. */
  flush(): void {
    clearTimeout(this.timer);
    for (const nb of this.dirty) if (!nb.isClosed) this.send({ type: "cells", notebook: notebookKey(nb), cells: langCells(nb) });
    this.dirty.clear();
  }

  closed(nb: vscode.NotebookDocument): void {
    this.dirty.delete(nb);
    if (this.child) this.send({ type: "close", notebook: notebookKey(nb) });
  }

  /** Ask the server about a position in a cell (after sending any unsent edits). */
  query<T>(type: LangQuery, nb: vscode.NotebookDocument, cell: vscode.TextDocument, offset: number): Promise<T | null> {
    this.flush();
    const id = this.nextId++;
    return new Promise<T | null>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.send({ type, id, notebook: notebookKey(nb), cellId: cell.uri.toString(), offset });
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.child?.stdin?.end();
    this.child?.kill();
  }
}
