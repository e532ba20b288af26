// Kernel replies -> saved notebook outputs (nbformat shapes), and outputs -> terminal text.
import type { Reply } from "../protocol.js";
import type { NotebookOutput } from "./format.js";

/** Where one reply's output goes in a cell's output list. */
export type OutputPlace =
  | { op: "append" }
  /** add to the stream output at `index` (consecutive text of one stream shows as one block) */
  | { op: "merge"; index: number }
  /** replace the display at `index` (a display updated through its displayId) */
  | { op: "replace"; index: number };

/**
 * The one rule for folding an execution's replies into outputs, shared by saved notebooks
 * (OutputCollector) and VS Code's cells (extension/outputState.ts): consecutive stream text of one
 * stream merges, a display with a known displayId is replaced in place, an update of a display
 * never shown is ignored (as Jupyter does), anything else is appended.
 */
export class OutputFolder {
  private readonly displays = new Map<string, number>();
  private lastStream: { name: string; index: number } | undefined;
  private count = 0;

  /** Where `reply` goes (undefined: it makes no output); call once per reply, in order. */
  place(reply: Reply): OutputPlace | undefined {
    if (reply.type === "stream") {
      if (this.lastStream?.name === reply.name && this.lastStream.index === this.count - 1) return { op: "merge", index: this.lastStream.index };
      this.lastStream = { name: reply.name, index: this.count };
      return this.append();
    }
    if (reply.type === "display" && reply.displayId !== undefined) {
      const at = this.displays.get(reply.displayId);
      if (at !== undefined) return { op: "replace", index: at };
      if (reply.update) return undefined;
      this.displays.set(reply.displayId, this.count);
      return this.append();
    }
    return reply.type === "display" || reply.type === "result" || reply.type === "error" ? this.append() : undefined;
  }

  private append(): OutputPlace {
    this.count++;
    return { op: "append" };
  }
}

/** Collects the outputs of one execution from its replies as a notebook saves them (OutputFolder's rule; the result becomes execute_result). */
export class OutputCollector {
  readonly outputs: NotebookOutput[] = [];
  private readonly folder = new OutputFolder();

  constructor(private readonly executionCount: () => number | null = () => null) {}

  /** Fold one reply in; returns the output it made or changed, or undefined. */
  add(reply: Reply): NotebookOutput | undefined {
    const place = this.folder.place(reply);
    if (!place) return undefined;
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
