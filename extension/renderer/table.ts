// Notebook renderer for application/vnd.mlnb.table+json: a pageable, sortable table; pages of large tables come from the kernel through renderer messaging.
import type { ActivationFunction, OutputItem } from "vscode-notebook-renderer";
import type { TablePage, TablePayload } from "../../kernel/views/tableModel.js";
import { mountTable, type PageFetcher } from "./tableUi.js";

interface PageReply {
  type: "tablePage";
  requestId: number;
  page?: TablePage;
  error?: string;
}

export const activate: ActivationFunction = (context) => {
  const waiting = new Map<number, { resolve: (p: TablePage) => void; reject: (e: Error) => void }>();
  let next = 0;
  context.onDidReceiveMessage?.((m: PageReply) => {
    const w = waiting.get(m?.requestId);
    if (!w) return;
    waiting.delete(m.requestId);
    if (m.page) w.resolve(m.page);
    else w.reject(new Error(m.error ?? "no page"));
  });
  const fetchPage: PageFetcher | undefined = context.postMessage
    ? (request) =>
        new Promise<TablePage>((resolve, reject) => {
          const requestId = ++next;
          waiting.set(requestId, { resolve, reject });
          context.postMessage!({ type: "tablePage", requestId, ...request });
          setTimeout(() => {
            if (waiting.delete(requestId)) reject(new Error("the kernel did not answer within 60 s (is a cell still running?)"));
          }, 60_000);
        })
    : undefined;
  const mounted = new Map<string, () => void>();
  return {
    renderOutputItem(item: OutputItem, element: HTMLElement) {
      mounted.get(item.id)?.();
      try {
        mounted.set(item.id, mountTable(element, item.json() as TablePayload, fetchPage));
      } catch (e) {
        const pre = document.createElement("pre");
        pre.textContent = `mlnb table could not be shown: ${(e as Error).message}`;
        element.replaceChildren(pre);
      }
    },
    disposeOutputItem(id?: string) {
      if (id === undefined) {
        for (const m of mounted.values()) m();
        mounted.clear();
      } else {
        mounted.get(id)?.();
        mounted.delete(id);
      }
    },
  };
};
