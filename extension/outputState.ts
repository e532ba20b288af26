// The outputs of one running cell as kernel replies arrive: decides append, merge or replace-in-place, within the cell's output cap (pure).
import type { Reply } from "../kernel/protocol.js";
import { OutputFolder, type FolderOptions, type OutputPlace } from "../kernel/notebook/outputs.js";
import { RAISE_IN_VSCODE } from "../kernel/notebook/outputCap.js";
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
 * controller has shown, so tests can assert the final outputs without VS Code. Past the cap
 * (the `mlnb.output.maxBytes` setting) output is cut and a note says what and how to raise it.
 */
export class CellOutputState {
  readonly outputs: PlainOutput[] = [];
  private readonly folder: OutputFolder;

  constructor(options: FolderOptions = {}) {
    this.folder = new OutputFolder({ raise: RAISE_IN_VSCODE, ...options });
  }

  /** Apply one reply; returns the operation to mirror in VS Code, or undefined for non-output (or cut) replies. Then call `note()`. */
  apply(reply: Reply): OutputOp | undefined {
    return this.mirror(this.folder.place(reply));
  }

  /** The cap's note to show when output was just cut; with `final` (the cell ended), the note updated to count what was cut. */
  note(final = false): OutputOp | undefined {
    return this.mirror(this.folder.note(final));
  }

  private mirror(place: OutputPlace | undefined): OutputOp | undefined {
    const output = place && replyToOutput(place.reply);
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
