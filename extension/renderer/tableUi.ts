// The table viewer's DOM (live table outputs and the stored-table panel): header with types and null counts, sort by a column, page through every row.
import { fromRows, pageOf, type SortSpec, type TablePage, type TablePayload } from "../../kernel/views/tableModel.js";

/** Asks the kernel for a page of a table that did not ship whole. */
export type PageFetcher = (request: { ref: string; offset: number; limit: number; sort?: SortSpec }) => Promise<TablePage>;

const STYLE = `
.mlnb-table-view { font-family: var(--vscode-font-family, sans-serif); font-size: 12px; color: var(--vscode-foreground, #333); }
.mlnb-table-view .mlnb-table-scroll { overflow: auto; max-height: 520px; }
.mlnb-table-view table { border-collapse: collapse; }
.mlnb-table-view th, .mlnb-table-view td { padding: 3px 8px; border-bottom: 1px solid var(--vscode-editorWidget-border, #ddd); text-align: left; white-space: nowrap; }
.mlnb-table-view td.num { text-align: right; font-variant-numeric: tabular-nums; }
.mlnb-table-view td.null { color: var(--vscode-disabledForeground, #999); font-style: italic; }
.mlnb-table-view th { cursor: pointer; user-select: none; position: sticky; top: 0; background: var(--vscode-editor-background, #fff); vertical-align: bottom; }
.mlnb-table-view th .type { display: block; font-weight: normal; font-size: 10px; color: var(--vscode-descriptionForeground, #777); }
.mlnb-table-view th .type.has-nulls { color: var(--vscode-editorWarning-foreground, #b58900); }
.mlnb-table-view th.sorted { color: var(--vscode-textLink-foreground, #06c); }
.mlnb-table-view th.rownum, .mlnb-table-view td.rownum { color: var(--vscode-descriptionForeground, #999); text-align: right; cursor: default; }
.mlnb-table-view .mlnb-table-bar { display: flex; gap: 6px; align-items: center; margin-top: 6px; }
.mlnb-table-view button { font-size: 12px; padding: 1px 8px; cursor: pointer; color: var(--vscode-button-secondaryForeground, #333); background: var(--vscode-button-secondaryBackground, #eee); border: 1px solid var(--vscode-button-border, #ccc); border-radius: 2px; }
.mlnb-table-view button:disabled { opacity: 0.4; cursor: default; }
.mlnb-table-view .mlnb-table-error { color: var(--vscode-errorForeground, #c00); }
`;

/** Draw a table payload into `host` and keep it interactive; returns a function that removes it. */
export function mountTable(host: HTMLElement, payload: TablePayload, fetchPage: PageFetcher | undefined): () => void {
  const names = payload.columns.map((c) => c.name);
  const local = payload.complete ? fromRows(names, payload.rows) : undefined;
  const orders = new Map<string, Uint32Array>();
  let page: TablePage = payload;
  let pageSize = payload.pageSize;
  let sort: SortSpec | undefined;
  let error = "";
  let busy = 0;
  const root = document.createElement("div");
  root.className = "mlnb-table-view";
  const style = document.createElement("style");
  style.textContent = STYLE;
  host.replaceChildren(style, root);

  async function go(offset: number): Promise<void> {
    const request = { offset: Math.max(0, offset), limit: pageSize, ...(sort ? { sort } : {}) };
    const ticket = ++busy;
    try {
      if (local) page = pageOf(local, request, orders);
      else if (payload.ref && fetchPage) page = await fetchPage({ ref: payload.ref, ...request });
      else throw new Error("this table is a preview: run its cell again to page through it");
      if (ticket !== busy) return;
      error = "";
    } catch (e) {
      error = (e as Error).message;
    }
    draw();
  }

  function draw(): void {
    const table = document.createElement("table");
    const head = table.createTHead().insertRow();
    const corner = document.createElement("th");
    corner.className = "rownum";
    corner.textContent = "#";
    head.appendChild(corner);
    for (const c of payload.columns) {
      const th = document.createElement("th");
      th.dataset.column = c.name;
      const arrow = sort?.column === c.name ? (sort.descending ? " ▼" : " ▲") : "";
      if (arrow) th.className = "sorted";
      th.title = `${c.name}: ${c.type}, ${c.nulls.toLocaleString("en-US")} missing of ${payload.numRows.toLocaleString("en-US")}. Click to sort.`;
      th.append(document.createTextNode(c.name + arrow));
      const type = document.createElement("span");
      type.className = c.nulls ? "type has-nulls" : "type";
      type.textContent = `${c.type} · ${c.nulls.toLocaleString("en-US")} null`;
      th.appendChild(type);
      th.addEventListener("click", () => {
        // Ascending, descending, then the table's own order.
        sort = sort?.column !== c.name ? { column: c.name } : !sort.descending ? { column: c.name, descending: true } : undefined;
        void go(0);
      });
      head.appendChild(th);
    }
    const body = table.createTBody();
    page.rows.forEach((r, i) => {
      const tr = body.insertRow();
      const num = tr.insertCell();
      num.className = "rownum";
      num.textContent = String(page.offset + i + 1);
      for (const v of r) {
        const td = tr.insertCell();
        if (v === null) {
          td.className = "null";
          td.textContent = "null";
        } else {
          if (typeof v === "number") td.className = "num";
          td.textContent = String(v);
        }
      }
    });
    const scroll = document.createElement("div");
    scroll.className = "mlnb-table-scroll";
    scroll.appendChild(table);

    const bar = document.createElement("div");
    bar.className = "mlnb-table-bar";
    const last = Math.max(0, Math.floor((payload.numRows - 1) / pageSize) * pageSize);
    const button = (label: string, cls: string, to: number, enabled: boolean) => {
      const b = document.createElement("button");
      b.textContent = label;
      b.className = cls;
      b.disabled = !enabled;
      b.addEventListener("click", () => void go(to));
      bar.appendChild(b);
    };
    button("«", "mlnb-table-first", 0, page.offset > 0);
    button("‹ Prev", "mlnb-table-prev", page.offset - pageSize, page.offset > 0);
    button("Next ›", "mlnb-table-next", page.offset + pageSize, page.offset + pageSize < payload.numRows);
    button("»", "mlnb-table-last", last, page.offset < last);
    const status = document.createElement("span");
    status.className = "mlnb-table-status";
    const end = page.offset + page.rows.length;
    status.textContent = `rows ${payload.numRows ? (page.offset + 1).toLocaleString("en-US") : 0}–${end.toLocaleString("en-US")} of ${payload.numRows.toLocaleString("en-US")} · ${payload.columns.length} columns${sort ? ` · sorted by ${sort.column}${sort.descending ? " (descending)" : ""}` : ""}`;
    bar.appendChild(status);
    const size = document.createElement("select");
    for (const n of [10, 25, 50, 100]) size.add(new Option(`${n} / page`, String(n), n === pageSize, n === pageSize));
    size.addEventListener("change", () => {
      pageSize = Number(size.value);
      void go(Math.floor(page.offset / pageSize) * pageSize);
    });
    bar.appendChild(size);
    const parts: HTMLElement[] = [scroll, bar];
    if (error) {
      const p = document.createElement("div");
      p.className = "mlnb-table-error";
      p.textContent = error;
      parts.push(p);
    }
    root.replaceChildren(...parts);
  }

  if (local && payload.rows.length > pageSize) void go(0);
  else draw();
  return () => host.replaceChildren();
}
