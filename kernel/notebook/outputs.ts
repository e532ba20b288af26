// Kernel replies -> saved notebook outputs (nbformat shapes), and outputs -> terminal text.
import type { Reply } from "../protocol.js";
import type { NotebookOutput } from "./format.js";

/**
 * Collects the outputs of one execution from its replies, as a notebook saves them:
 * consecutive stream text of one stream is merged, a display with a known displayId is
 * replaced in place (progress), the result becomes execute_result.
 */
export class OutputCollector {
  readonly outputs: NotebookOutput[] = [];
  private readonly displays = new Map<string, number>();

  constructor(private readonly executionCount: () => number | null = () => null) {}

  add(reply: Reply): NotebookOutput | undefined {
    switch (reply.type) {
      case "stream": {
        const last = this.outputs[this.outputs.length - 1];
        if (last?.output_type === "stream" && last.name === reply.name) {
          last.text += reply.text;
          return last;
        }
        const out: NotebookOutput = { output_type: "stream", name: reply.name, text: reply.text };
        this.outputs.push(out);
        return out;
      }
      case "display": {
        const out: NotebookOutput = { output_type: "display_data", data: reply.data, metadata: {} };
        const at = reply.displayId !== undefined ? this.displays.get(reply.displayId) : undefined;
        if (at !== undefined) this.outputs[at] = out;
        else {
          if (reply.displayId !== undefined) this.displays.set(reply.displayId, this.outputs.length);
          this.outputs.push(out);
        }
        return out;
      }
      case "result": {
        const out: NotebookOutput = { output_type: "execute_result", data: reply.data, metadata: {}, execution_count: this.executionCount() };
        this.outputs.push(out);
        return out;
      }
      case "error": {
        const e = reply.error;
        const out: NotebookOutput = { output_type: "error", ename: e.name, evalue: e.message, traceback: e.stack ? e.stack.split("\n") : [`${e.name}: ${e.message}`] };
        this.outputs.push(out);
        return out;
      }
      default:
        return undefined;
    }
  }

  /** Set the execution count of the result once it is known (it comes with "done"). */
  setExecutionCount(count: number): void {
    for (const o of this.outputs) if (o.output_type === "execute_result") o.execution_count = count;
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
