// The variables view: the active notebook's kernel variables (name, type or shape, defining stage), refreshed after each cell.
import * as vscode from "vscode";
import type { KernelManager } from "../kernelManager.js";
import { NOTEBOOK_TYPE } from "../serializer.js";

/** One variable as the kernel's `variables` command reports it. */
export interface Variable {
  name: string;
  type: string;
  stage?: string;
}

export class VariablesView implements vscode.TreeDataProvider<Variable>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private variables: Variable[] = [];
  private notebookKey: string | undefined;

  constructor(private readonly kernels: KernelManager) {}

  /** Ask the notebook's kernel for its variables (none when no kernel runs). */
  async refresh(notebook: vscode.NotebookDocument | undefined = vscode.window.activeNotebookEditor?.notebook): Promise<void> {
    if (!notebook || notebook.notebookType !== NOTEBOOK_TYPE) return;
    const key = notebook.uri.toString();
    const kernel = await this.kernels.peek(key)?.catch(() => undefined);
    let vars: Variable[] = [];
    try {
      vars = ((await kernel?.command?.("variables")) as Variable[] | undefined) ?? [];
    } catch {
      vars = [];
    }
    this.notebookKey = key;
    this.variables = vars.sort((a, b) => a.name.localeCompare(b.name));
    this.changed.fire();
  }

  /** The names shown now (for tests and other extensions). */
  names(): string[] {
    return this.variables.map((v) => v.name);
  }

  /** The notebook the view shows. */
  get shows(): string | undefined {
    return this.notebookKey;
  }

  getTreeItem(v: Variable): vscode.TreeItem {
    const item = new vscode.TreeItem(v.name, vscode.TreeItemCollapsibleState.None);
    item.description = v.stage ? `${v.type} · ${v.stage}` : v.type;
    item.tooltip = `${v.name}: ${v.type}${v.stage ? `\ndefined by stage ${v.stage}` : ""}`;
    item.iconPath = new vscode.ThemeIcon(v.type.startsWith("table") ? "table" : v.type.startsWith("function") ? "symbol-method" : "symbol-variable");
    return item;
  }

  getChildren(element?: Variable): Variable[] {
    return element ? [] : this.variables;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** The kernel's busy/idle state in the status bar, for the active mlnb notebook (from the kernel's status replies). */
export class KernelStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("mlnb.kernelStatus", vscode.StatusBarAlignment.Left, 100);
  /** Busy or idle by the notebook path the kernel was started for. */
  private readonly states = new Map<string, "busy" | "idle">();

  constructor(private readonly pathOf: (nb: vscode.NotebookDocument) => string) {
    this.item.name = "mlnb kernel";
  }

  /** A kernel reported its state. */
  set(notebookPath: string, state: "busy" | "idle" | "gone"): void {
    if (state === "gone") this.states.delete(notebookPath);
    else this.states.set(notebookPath, state);
    this.render();
  }

  render(): void {
    const nb = vscode.window.activeNotebookEditor?.notebook;
    if (!nb || nb.notebookType !== NOTEBOOK_TYPE) return this.item.hide();
    const state = this.states.get(this.pathOf(nb));
    this.item.text = state === "busy" ? "$(sync~spin) mlnb: busy" : state === "idle" ? "$(circle-filled) mlnb: idle" : "$(circle-outline) mlnb: no kernel";
    this.item.tooltip = state ? `The notebook's kernel is ${state}` : "No kernel runs for this notebook yet";
    this.item.show();
  }

  /** The text shown (for tests). */
  get text(): string {
    return this.item.text;
  }

  dispose(): void {
    this.item.dispose();
  }
}
