// A notebook as one TypeScript file: its code cells in order, magic lines blanked, offsets mapped both ways.
//
// One file (rather than a file per cell) lets TypeScript see every cell's names from every other
// cell at the cost of nothing: positions in a cell are its offset plus a constant. A magic line
// (`%%stage clean`, `%seed 3`) becomes spaces of the same length, so columns are kept.

/** A code cell as the language service sees it. */
export interface LangCell {
  /** Stable id of the cell (the extension's cell document URI, or the kernel's execution id). */
  id: string;
  text: string;
}

/** Where one cell sits in the notebook file. */
export interface CellSpan {
  id: string;
  start: number;
  end: number;
}

/** The notebook file's text and the span of each cell in it. */
export interface NotebookText {
  text: string;
  spans: CellSpan[];
}

const MAGIC_LINE = /^[ \t]*%/;

/** Blank the magic lines of a cell (same length, so offsets and columns are those of the cell). */
export function maskMagics(text: string): string {
  return text
    .split("\n")
    .map((line) => (MAGIC_LINE.test(line) ? " ".repeat(line.length) : line))
    .join("\n");
}

/** Build the notebook file: each cell then a `;` line (a cell's last statement never runs into the next). */
export function notebookText(cells: readonly LangCell[]): NotebookText {
  let text = "";
  const spans: CellSpan[] = [];
  for (const cell of cells) {
    const start = text.length;
    text += maskMagics(cell.text);
    spans.push({ id: cell.id, start, end: text.length });
    text += "\n;\n";
  }
  return { text: text + "export {};\n", spans };
}

/** The cell holding a file offset, and the offset within it; undefined between cells. */
export function cellAt(spans: readonly CellSpan[], offset: number): { id: string; offset: number } | undefined {
  const span = spans.find((s) => offset >= s.start && offset <= s.end);
  return span ? { id: span.id, offset: offset - span.start } : undefined;
}
