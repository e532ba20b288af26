// In-place displays (training epochs, tune trials, large reads) in a terminal: one rewritten line on a TTY, periodic lines otherwise.

/** Where progress goes: a stream with an optional TTY width (process.stdout fits). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * Shows the latest text of each updating display. On a TTY the current one is redrawn in place
 * (`\r` + clear line), and finished with a newline before any other output; otherwise a line is
 * printed at most every `everyMs` per display, and the last unprinted state when it ends.
 */
export class ProgressLine {
  private current: string | undefined;
  private text = "";
  private shown = "";
  private lastPrinted = new Map<string, number>();
  private pending = new Map<string, string>();

  constructor(private readonly stream: ProgressStream, private readonly everyMs = 5000, private readonly now: () => number = Date.now) {}

  /** A new state of display `id` (its text/plain, first line kept on a TTY). */
  update(id: string, text: string): void {
    const line = text.replace(/\s+$/, "");
    if (this.stream.isTTY) {
      if (this.current !== undefined && this.current !== id) this.finish();
      this.current = id;
      this.text = line;
      const width = Math.max(20, (this.stream.columns ?? 100) - 1);
      const first = line.split("\n")[0]!;
      const fitted = first.length > width ? `${first.slice(0, width - 1)}…` : first;
      this.stream.write(`\r\x1b[2K${fitted}`);
      this.shown = fitted;
      return;
    }
    const t = this.now();
    const last = this.lastPrinted.get(id);
    if (last === undefined || t - last >= this.everyMs) {
      this.stream.write(`${line}\n`);
      this.lastPrinted.set(id, t);
      this.pending.delete(id);
    } else {
      this.pending.set(id, line);
    }
  }

  /** Before other output: end the TTY line (keeping its last state), or print the pending states. */
  finish(): void {
    if (this.stream.isTTY) {
      if (this.current !== undefined && this.shown) this.stream.write(`\r\x1b[2K${this.text.split("\n")[0]}\n`);
      this.current = undefined;
      this.shown = "";
      return;
    }
    for (const line of this.pending.values()) this.stream.write(`${line}\n`);
    this.pending.clear();
  }
}
