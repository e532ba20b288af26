// Kernel replies -> saved notebook outputs (nbformat shapes, capped per cell), and outputs -> terminal text.
import type { Reply } from "../protocol.js";
import type { NotebookOutput } from "./format.js";
import { capNote, cutText, DEFAULT_OUTPUT_CAP_BYTES, OutputBudget, payloadBytes, RAISE_IN_CLI } from "./outputCap.js";

/** Where one reply's output goes in a cell's output list, and the reply to show there (a stream's text may be cut to the cap). */
export type OutputPlace = (
  | { op: "append" }
  /** add to the stream output at `index` (consecutive text of one stream shows as one block) */
  | { op: "merge"; index: number }
  /** replace the display at `index` (a display updated through its displayId) */
  | { op: "replace"; index: number }
) & { reply: Reply };

export interface FolderOptions {
  /** The most bytes of output the cell keeps (default DEFAULT_OUTPUT_CAP_BYTES); errors are always kept. */
  capBytes?: number;
  /** How the user raises the cap, for the note (RAISE_IN_VSCODE, RAISE_IN_CLI). */
  raise?: string;
}

/**
 * The one rule for folding an execution's replies into outputs, shared by saved notebooks
 * (OutputCollector) and VS Code's cells (extension/outputState.ts): consecutive stream text of one
 * stream merges, a display with a known displayId is replaced in place, an update of a display
 * never shown is ignored (as Jupyter does), anything else is appended. Past the cell's byte cap
 * output is cut (a stream's text within it is kept up to the cap) and a note says so.
 */
export class OutputFolder {
  private readonly displays = new Map<string, number>();
  private lastStream: { name: string; index: number } | undefined;
  private count = 0;
  private readonly sizes: number[] = [];
  private readonly budget: OutputBudget;
  private readonly raise: string;
  private noteIndex: number | undefined;
  /** The stream being cut: its further text would have merged into the same output (counted once). */
  private cutStream: string | undefined;
  private id = "";

  constructor(options: FolderOptions = {}) {
    this.budget = new OutputBudget(options.capBytes ?? DEFAULT_OUTPUT_CAP_BYTES);
    this.raise = options.raise ?? RAISE_IN_CLI;
  }

  /** Where `reply` goes (undefined: it makes no output, or it was cut); call once per reply, in order, then `note()`. */
  place(reply: Reply): OutputPlace | undefined {
    if ("id" in reply && typeof reply.id === "string") this.id = reply.id;
    if (reply.type === "stream") {
      const merge = this.lastStream?.name === reply.name && this.lastStream.index === this.count - 1;
      const bytes = payloadBytes(reply.text);
      const fits = this.budget.take(bytes, !merge && this.cutStream !== reply.name);
      if (fits < bytes) this.cutStream = reply.name;
      if (fits === 0) return undefined;
      const kept = fits < bytes ? { ...reply, text: cutText(reply.text, fits) } : reply;
      if (merge) {
        this.sizes[this.lastStream!.index]! += fits;
        return { op: "merge", index: this.lastStream!.index, reply: kept };
      }
      this.lastStream = { name: reply.name, index: this.count };
      return this.append(kept, fits);
    }
    if (reply.type === "display" && reply.displayId !== undefined) {
      const at = this.displays.get(reply.displayId);
      if (at !== undefined) {
        // an update in place gives back what the shown state took; one that no longer fits is not shown
        const bytes = payloadBytes(reply.data);
        this.budget.release(this.sizes[at]!);
        if (!this.budget.takeWhole(bytes, false)) {
          this.budget.take(this.sizes[at]!);
          return undefined;
        }
        this.sizes[at] = bytes;
        return { op: "replace", index: at, reply };
      }
      if (reply.update) return undefined;
      const bytes = payloadBytes(reply.data);
      if (!this.budget.takeWhole(bytes)) return undefined;
      this.displays.set(reply.displayId, this.count);
      return this.appendOther(reply, bytes);
    }
    if (reply.type === "display" || reply.type === "result") {
      const bytes = payloadBytes(reply.data);
      if (!this.budget.takeWhole(bytes)) return undefined;
      return this.appendOther(reply, bytes);
    }
    return reply.type === "error" ? this.appendOther(reply, 0) : undefined;
  }

  /**
   * The cap's note to show, if any: when output was first cut, where it was cut (appended); with
   * `final` (the cell ended), the same note replaced by one counting what was not kept.
   */
  note(final = false): OutputPlace | undefined {
    if (!this.budget.exceeded) return undefined;
    const first = this.noteIndex === undefined;
    if (!first && !final) return undefined;
    const reply: Reply = { type: "display", id: this.id, data: { "text/plain": capNote(this.budget.capBytes, final ? this.budget.cut : undefined, this.raise) } };
    if (first) {
      this.noteIndex = this.count;
      this.lastStream = undefined;
      return this.append(reply, 0);
    }
    return { op: "replace", index: this.noteIndex!, reply };
  }

  /** Append a non-stream output: stream text after it is a new output, even the cut stream's. */
  private appendOther(reply: Reply, bytes: number): OutputPlace {
    this.cutStream = undefined;
    return this.append(reply, bytes);
  }

  private append(reply: Reply, bytes: number): OutputPlace {
    this.sizes[this.count] = bytes;
    this.count++;
    return { op: "append", reply };
  }
}

/** Collects the outputs of one execution from its replies as a notebook saves them (OutputFolder's rule; the result becomes execute_result). */
export class OutputCollector {
  readonly outputs: NotebookOutput[] = [];
  private readonly folder: OutputFolder;

  constructor(
    private readonly executionCount: () => number | null = () => null,
    options: FolderOptions = {},
  ) {
    this.folder = new OutputFolder(options);
  }

  /** Fold one reply in; returns the output it made or changed (undefined: none, or cut by the cap). */
  add(reply: Reply): NotebookOutput | undefined {
    const out = this.apply(this.folder.place(reply));
    this.apply(this.folder.note());
    return out;
  }

  /** The cell ended: the cap's note, if output was cut, now counts what was not kept. */
  finish(): void {
    this.apply(this.folder.note(true));
  }

  private apply(place: OutputPlace | undefined): NotebookOutput | undefined {
    if (!place) return undefined;
    const { reply } = place;
    if (place.op === "merge" && reply.type === "stream") {
      const last = this.outputs[place.index] as Extract<NotebookOutput, { output_type: "stream" }>;
      last.text += reply.text;
      return last;
    }
    const out = toOutput(reply, this.executionCount);
    if (!out) return undefined;
    if (place.op === "replace") this.outputs[place.index] = out;
    else this.outputs.push(out);
    return out;
  }

  /** Set the execution count of the result once it is known (it comes with "done"). */
  setExecutionCount(count: number): void {
    for (const o of this.outputs) if (o.output_type === "execute_result") o.execution_count = count;
  }
}

/** The saved (nbformat) output of one reply. */
function toOutput(reply: Reply, executionCount: () => number | null): NotebookOutput | undefined {
  switch (reply.type) {
    case "stream":
      return { output_type: "stream", name: reply.name, text: reply.text };
    case "display":
      return { output_type: "display_data", data: reply.data, metadata: {} };
    case "result":
      return { output_type: "execute_result", data: reply.data, metadata: {}, execution_count: executionCount() };
    case "error": {
      const e = reply.error;
      return { output_type: "error", ename: e.name, evalue: e.message, traceback: e.stack ? e.stack.split("\n") : [`${e.name}: ${e.message}`] };
    }
    default:
      return undefined;
  }
}

/** The plain-text form of one output, for a terminal. */
export function outputText(o: NotebookOutput): string {
  switch (o.output_type) {
    case "stream":
      return o.text;
    case "error":
      return (o.traceback.length ? o.traceback.join("\n") : `${o.ename}: ${o.evalue}`) + "\n";
    default: {
      const d = o.data;
      if (typeof d["text/plain"] === "string") return d["text/plain"] + "\n";
      if (typeof d["text/markdown"] === "string") return d["text/markdown"] + "\n";
      if (typeof d["text/html"] === "string") return stripHtml(d["text/html"]) + "\n";
      return `[${Object.keys(d).join(", ")}]\n`;
    }
  }
}

function stripHtml(html: string): string {
  return html.replace(/<(br|\/p|\/tr|\/div|\/h\d)>/gi, "\n").replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&").replace(/\n{3,}/g, "\n\n").trim();
}
