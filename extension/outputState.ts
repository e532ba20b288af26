// The outputs of one running cell as kernel replies arrive: decides append, merge or replace-in-place (pure).
import type { Reply } from "../kernel/protocol.js";
import { replyToOutput, STDERR_MIME, STDOUT_MIME, type PlainOutput } from "./outputs.js";

/** What the controller must do to the cell for one reply. */
export type OutputOp =
  | { op: "append"; output: PlainOutput }
  /** Add items to an existing output (consecutive stream text shows as one block). */
  | { op: "appendItems"; index: number; items: PlainOutput["items"] }
  /** Replace the items of an existing output (a display updated through its displayId). */
  | { op: "replaceItems"; index: number; output: PlainOutput };

/**
 * Folds the replies of one execution into the cell's output list. The list mirrors what the
 * controller has shown, so tests can assert the final outputs without VS Code.
 */
export class CellOutputState {
  readonly outputs: PlainOutput[] = [];
  private readonly displays = new Map<string, number>();

  /** Apply one reply; returns the operation to mirror in VS Code, or undefined for non-output replies. */
  apply(reply: Reply): OutputOp | undefined {
    if (reply.type === "display" && reply.displayId !== undefined) {
      const at = this.displays.get(reply.displayId);
      if (at !== undefined) {
        const output = replyToOutput(reply)!;
        this.outputs[at] = output;
        return { op: "replaceItems", index: at, output };
      }
      // Jupyter ignores an update for a display it never showed.
      if (reply.update) return undefined;
    }
    const output = replyToOutput(reply);
    if (!output) return undefined;
    if (reply.type === "stream") {
      const last = this.outputs.length - 1;
      const lastItems = last >= 0 ? this.outputs[last].items : [];
      const mime = output.items[0].mime;
      if (lastItems.length > 0 && lastItems.every((i) => i.mime === mime) && (mime === STDOUT_MIME || mime === STDERR_MIME)) {
        lastItems.push(...output.items);
        return { op: "appendItems", index: last, items: output.items };
      }
    }
    this.outputs.push(output);
    if (reply.type === "display" && reply.displayId !== undefined) this.displays.set(reply.displayId, this.outputs.length - 1);
    return { op: "append", output };
  }
}
