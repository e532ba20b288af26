// The kernel's `complete` and `inspect` answers (Jupyter's shapes), from the notebook language service.
import type { Reply } from "../protocol.js";
import type { LangCell } from "./document.js";
import type { NotebookLanguageService } from "./service.js";

const REQUEST_CELL = "__request__";

/**
 * Complete at `cursorPos` in `code`, the executed cells known as earlier cells. Matches are
 * filtered by the word typed so far (Jupyter clients show them as they are).
 */
export function completeReply(service: NotebookLanguageService, executed: readonly LangCell[], id: string, code: string, cursorPos: number): Reply {
  service.setCells([...executed, { id: REQUEST_CELL, text: code }]);
  const c = service.completions(REQUEST_CELL, cursorPos);
  const typed = code.slice(c.start, cursorPos).toLowerCase();
  const matches = c.items
    .filter((i) => !i.range && i.label.toLowerCase().startsWith(typed))
    .sort((a, b) => (a.sortText ?? "").localeCompare(b.sortText ?? "") || a.label.localeCompare(b.label))
    .map((i) => i.insertText ?? i.label);
  return { type: "completeReply", id, matches: [...new Set(matches)], cursor_start: c.start, cursor_end: c.end };
}

/** Inspect the name at (or just before) `cursorPos`: its type and doc comment as markdown and plain text. */
export function inspectReply(service: NotebookLanguageService, executed: readonly LangCell[], id: string, code: string, cursorPos: number): Reply {
  service.setCells([...executed, { id: REQUEST_CELL, text: code }]);
  const hover = service.hover(REQUEST_CELL, cursorPos) ?? (cursorPos > 0 ? service.hover(REQUEST_CELL, cursorPos - 1) : undefined);
  if (!hover) return { type: "inspectReply", id, found: false, data: {} };
  const plain = hover.markdown.replace(/^```typescript\n|```$/gm, "").trim();
  return { type: "inspectReply", id, found: true, data: { "text/markdown": hover.markdown, "text/plain": plain } };
}

/** Keeps the cells a kernel ran, in the order they last ran (a re-run cell moves to the end). */
export class ExecutedCells {
  private readonly cells = new Map<string, string>();

  /** Record a cell about to run. */
  add(cellId: string, code: string): void {
    this.cells.delete(cellId);
    this.cells.set(cellId, code);
  }

  /** Forget them all (%reset). */
  clear(): void {
    this.cells.clear();
  }

  list(): LangCell[] {
    return [...this.cells].map(([id, text]) => ({ id, text }));
  }
}
