// Script of mlnb's webview panels (stage graph, stored output, run comparison): draws what the extension posts, sends clicks and page requests back.
import type { TablePage, TablePayload } from "../../kernel/views/tableModel.js";
import { mountTable } from "./tableUi.js";

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };
const vscode = acquireVsCodeApi();

type Incoming =
  | { type: "html"; html: string }
  | { type: "table"; html?: string; payload: TablePayload }
  | { type: "tablePage"; requestId: number; page?: TablePage; error?: string };

const app = document.getElementById("app")!;
const waiting = new Map<number, { resolve: (p: TablePage) => void; reject: (e: Error) => void }>();
let next = 0;

window.addEventListener("message", (event: MessageEvent<Incoming>) => {
  const m = event.data;
  if (m.type === "html") {
    app.innerHTML = m.html;
  } else if (m.type === "table") {
    app.innerHTML = m.html ?? "";
    const host = document.createElement("div");
    app.appendChild(host);
    mountTable(host, m.payload, (request) =>
      new Promise<TablePage>((resolve, reject) => {
        const requestId = ++next;
        waiting.set(requestId, { resolve, reject });
        vscode.postMessage({ type: "tablePage", requestId, ...request });
      }),
    );
  } else if (m.type === "tablePage") {
    const w = waiting.get(m.requestId);
    waiting.delete(m.requestId);
    if (m.page) w?.resolve(m.page);
    else w?.reject(new Error(m.error ?? "no page"));
  }
});

// Graph nodes: a click reveals the stage's cell, the context menu offers the stage's run commands.
const menu = document.createElement("div");
menu.className = "mlnb-menu";
menu.hidden = true;
document.body.appendChild(menu);
const stageOf = (t: EventTarget | null) => (t instanceof Element ? (t.closest("[data-stage]") as SVGGElement | null) : null);
app.addEventListener("click", (e) => {
  menu.hidden = true;
  const g = stageOf(e.target);
  if (g) vscode.postMessage({ type: "reveal", stage: g.dataset.stage, cellId: g.dataset.cell });
});
app.addEventListener("contextmenu", (e) => {
  const g = stageOf(e.target);
  if (!g) return;
  e.preventDefault();
  const items: [string, string][] = [["runWithUpstream", `Run ${g.dataset.stage} With Upstream`], ["runStale", "Run Stale Stages"], ["reveal", "Reveal Cell"]];
  menu.replaceChildren(
    ...items.map(([action, label]) => {
      const item = document.createElement("div");
      item.className = "mlnb-menu-item";
      item.dataset.action = action;
      item.textContent = label;
      item.addEventListener("click", () => {
        menu.hidden = true;
        vscode.postMessage({ type: action, stage: g.dataset.stage, cellId: g.dataset.cell });
      });
      return item;
    }),
  );
  menu.style.left = `${e.clientX}px`;
  menu.style.top = `${e.clientY}px`;
  menu.hidden = false;
});
document.addEventListener("keydown", (e) => {
  if (e.key === "Escape") menu.hidden = true;
});
vscode.postMessage({ type: "ready" });
