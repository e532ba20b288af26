// Shared webview plumbing for mlnb's panels: the HTML shell with a strict CSP, the panel script, theme-aware styles.
import * as vscode from "vscode";
import { randomBytes } from "node:crypto";

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: 13px; color: var(--vscode-foreground); padding: 8px 16px; }
h2 { font-size: 15px; margin: 8px 0; } h3 { font-size: 13px; margin: 14px 0 6px; }
.mlnb-menu { position: fixed; z-index: 10; background: var(--vscode-menu-background); color: var(--vscode-menu-foreground); border: 1px solid var(--vscode-menu-border, #888); box-shadow: 0 2px 8px rgba(0,0,0,.3); padding: 4px 0; min-width: 200px; }
.mlnb-menu-item { padding: 4px 14px; cursor: pointer; } .mlnb-menu-item:hover { background: var(--vscode-menu-selectionBackground); color: var(--vscode-menu-selectionForeground); }
.graph svg { max-width: 100%; height: auto; }
.mlnb-stage { cursor: pointer; } .mlnb-stage:hover rect { filter: brightness(1.15); }
.legend span { display: inline-block; margin-right: 12px; } .legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: middle; }
.messages li.error { color: var(--vscode-errorForeground); } .messages li.warning { color: var(--vscode-editorWarning-foreground); }
table.compare { border-collapse: collapse; } table.compare th, table.compare td { padding: 3px 10px; border-bottom: 1px solid var(--vscode-editorWidget-border, #ccc); text-align: left; font-variant-numeric: tabular-nums; }
table.compare tr.section th { padding-top: 12px; font-size: 11px; text-transform: uppercase; color: var(--vscode-descriptionForeground); }
table.compare tr.changed td.value { background: var(--vscode-diffEditor-insertedTextBackground, rgba(155,185,85,.25)); font-weight: bold; }
table.compare tr.changed td.key::before { content: "● "; color: var(--vscode-editorWarning-foreground, #d90); }
.muted { color: var(--vscode-descriptionForeground); }
.chart svg { background: #fff; border-radius: 4px; }
`;

/** A webview panel running the shared panel script (out/renderer/panel.js). */
export function createPanel(extensionUri: vscode.Uri, viewType: string, title: string): vscode.WebviewPanel {
  const panel = vscode.window.createWebviewPanel(viewType, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
    enableScripts: true,
    retainContextWhenHidden: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, "out", "renderer")],
  });
  const nonce = randomBytes(16).toString("base64");
  const script = panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, "out", "renderer", "panel.js"));
  panel.webview.html = `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${panel.webview.cspSource} data:; style-src 'unsafe-inline'; script-src 'nonce-${nonce}';">
<style>${STYLE}</style></head><body><div id="app"><p class="muted">loading…</p></div><script nonce="${nonce}" src="${script}"></script></body></html>`;
  return panel;
}

/** Text made safe for HTML. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
