// The outputs of one running cell as kernel replies arrive: decides append, merge or replace-in-place (pure).
import type { Reply } from "../kernel/protocol.js";
import { OutputFolder } from "../kernel/notebook/outputs.js";
import { replyToOutput, type PlainOutput } from "./outputs.js";

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
  private readonly folder = new OutputFolder();

  /** Apply one reply; returns the operation to mirror in VS Code, or undefined for non-output replies. */
  apply(reply: Reply): OutputOp | undefined {
    const place = this.folder.place(reply);
    const output = place && replyToOutput(reply);
    if (!place || !output) return undefined;
    if (place.op === "replace") {
      this.outputs[place.index] = output;
      return { op: "replaceItems", index: place.index, output };
    }
    if (place.op === "merge") {
      this.outputs[place.index]!.items.push(...output.items);
      return { op: "appendItems", index: place.index, items: output.items };
    }
    this.outputs.push(output);
    return { op: "append", output };
  }
}
