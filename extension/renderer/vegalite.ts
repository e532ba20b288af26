// Notebook renderer for application/vnd.vegalite.v5+json: draws the spec with vega-embed inside the notebook webview.
import type { ActivationFunction, OutputItem } from "vscode-notebook-renderer";
import embed, { type Result } from "vega-embed";
import { expressionInterpreter } from "vega-interpreter";

const views = new Map<string, Result>();

/** Vega theme matching the editor: VS Code puts vscode-dark / vscode-high-contrast on the webview body. */
function theme(): "dark" | undefined {
  const c = document.body.classList;
  return c.contains("vscode-dark") || c.contains("vscode-high-contrast") ? "dark" : undefined;
}

export const activate: ActivationFunction = () => ({
  async renderOutputItem(item: OutputItem, element: HTMLElement, signal: AbortSignal) {
    views.get(item.id)?.finalize();
    views.delete(item.id);
    element.textContent = "";
    const host = document.createElement("div");
    host.className = "mlnb-vegalite";
    element.appendChild(host);
    try {
      const spec = item.json();
      // The interpreter avoids `new Function`, which a strict webview CSP may forbid.
      const result = await embed(host, spec, { actions: { export: true, source: false, compiled: false, editor: false }, renderer: "svg", theme: theme(), ast: true, expr: expressionInterpreter });
      if (signal.aborted) return result.finalize();
      views.set(item.id, result);
    } catch (e) {
      const pre = document.createElement("pre");
      pre.className = "mlnb-vegalite-error";
      pre.textContent = `Vega-Lite chart could not be drawn: ${(e as Error).message}`;
      element.replaceChildren(pre);
    }
  },
  disposeOutputItem(id?: string) {
    if (id === undefined) {
      for (const v of views.values()) v.finalize();
      views.clear();
      return;
    }
    views.get(id)?.finalize();
    views.delete(id);
  },
});
