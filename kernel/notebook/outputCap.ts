// The per-cell output cap: the bytes one cell's outputs may keep, and the note saying what was cut and how to raise it.

/** Default cap of one cell's kept output (bytes of text and JSON): saved notebooks, VS Code cells, stage cache records. */
export const DEFAULT_OUTPUT_CAP_BYTES = 2_000_000;

/** How a user raises the cap where the note shows (the VS Code setting, the `mlnb run` option). */
export const RAISE_IN_VSCODE = 'raise it with the setting "mlnb.output.maxBytes"';
export const RAISE_IN_CLI = "raise it with mlnb run --max-output BYTES";

/** Bytes of one output's payload: UTF-8 text, or the JSON of a mime bundle. */
export function payloadBytes(value: string | unknown): number {
  return Buffer.byteLength(typeof value === "string" ? value : JSON.stringify(value) ?? "");
}

/** The longest prefix of `text` within `bytes` of UTF-8, never splitting a character. */
export function cutText(text: string, bytes: number): string {
  const buf = Buffer.from(text, "utf8");
  if (buf.byteLength <= bytes) return text;
  let end = Math.max(0, bytes);
  // back off continuation bytes (10xxxxxx) so the cut falls between characters
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString("utf8");
}

/** A size for people: "2 MB", "640 kB". */
function size(n: number): string {
  return n >= 1_000_000 ? `${+(n / 1_000_000).toFixed(1)} MB` : n >= 1000 ? `${Math.round(n / 1000)} kB` : `${n} B`;
}

/** What a capped cell did not keep. */
export interface Cut {
  /** Outputs dropped whole or in part (a stream cut counts once). */
  outputs: number;
  bytes: number;
}

/**
 * The note shown where a cell's output was cut. Before the cell ends `cut` may be partial, so
 * the first note says only that output stops here; the final one counts what was not kept.
 */
export function capNote(capBytes: number, cut: Cut | undefined, raise: string): string {
  const what = cut ? `${cut.bytes === 0 ? "" : `${size(cut.bytes)} in `}${cut.outputs} output${cut.outputs === 1 ? "" : "s"} not kept` : "the output that follows is not kept";
  return `[output cut: ${what}; a cell keeps at most ${size(capBytes)} of output (${raise})]`;
}

/** A byte budget for one cell: each output takes what it needs while the budget lasts. */
export class OutputBudget {
  private used = 0;
  readonly cut: Cut = { outputs: 0, bytes: 0 };

  constructor(readonly capBytes: number = DEFAULT_OUTPUT_CAP_BYTES) {}

  /** True once anything was cut. */
  get exceeded(): boolean {
    return this.cut.outputs > 0;
  }

  /**
   * How many of `bytes` fit (all of them, fewer, or 0); takes them from the budget and counts the
   * rest as cut (`newOutput`: it would have been an output of its own, not text added to one).
   */
  take(bytes: number, newOutput = true): number {
    const fits = Math.max(0, Math.min(bytes, this.capBytes - this.used));
    this.used += fits;
    if (fits < bytes) {
      if (newOutput || this.cut.outputs === 0) this.cut.outputs++;
      this.cut.bytes += bytes - fits;
    }
    return fits;
  }

  /** Take all of `bytes` or nothing (a rich output is kept whole or not at all); false when they do not fit (counted as cut). */
  takeWhole(bytes: number, newOutput = true): boolean {
    if (this.capBytes - this.used >= bytes) {
      this.used += bytes;
      return true;
    }
    if (newOutput || this.cut.outputs === 0) this.cut.outputs++;
    this.cut.bytes += bytes;
    return false;
  }

  /** Give back what an output replaced in place took. */
  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}
