// The tslab corpus: notebooks written the way yunabe/tslab-examples' are (our own code, same features) import and run every cell unchanged.
//
// test/corpus/tslab/ mirrors that repository's layout (notebooks/ beside lib/): tslab's display API,
// top-level await, redeclared names, Node built-ins by import and by require, a JavaScript (jslab)
// notebook with untyped code, and TensorFlow.js imported as @tensorflow/tfjs-node with data from a
// local module in ../lib. Each notebook is imported as `mlnb import` does, then its cells run in
// order in one kernel; each cell's outputs must be those saved in the .ipynb (a display's saved
// value "" checks only its mime type).
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { KernelClient } from "../../../kernel/client.js";
import { fromIpynb } from "../../../kernel/export/ipynb.js";
import type { NotebookOutput } from "../../../kernel/notebook/format.js";
import { OutputCollector } from "../../../kernel/notebook/outputs.js";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
const work = mkdtempSync(join(tmpdir(), "mlnb-tslab-corpus-"));
cpSync(join(REPO, "test", "corpus", "tslab"), work, { recursive: true });
after(() => rmSync(work, { recursive: true, force: true }));

/** What a saved output promises: its kind, its stream text, its mime types, and each value saved non-empty. */
function expectation(o: NotebookOutput): unknown {
  if (o.output_type === "stream") return { stream: o.name, text: o.text };
  if (o.output_type === "error") return { error: o.ename };
  return { kind: o.output_type, mimes: Object.keys(o.data).sort() };
}

function sameOutputs(label: string, got: NotebookOutput[], want: NotebookOutput[]): void {
  const gotShown = got.filter((o) => !(o.output_type === "stream" && o.name === "stderr"));
  assert.deepEqual(gotShown.map(expectation), want.map(expectation), `${label}: outputs`);
  want.forEach((w, i) => {
    if (w.output_type !== "display_data" && w.output_type !== "execute_result") return;
    const g = gotShown[i] as typeof w;
    for (const [mime, value] of Object.entries(w.data)) if (value !== "") assert.equal(g.data[mime], value, `${label}: ${mime}`);
  });
}

async function runCorpusNotebook(name: string): Promise<void> {
  const file = join(work, "notebooks", name);
  const nb = fromIpynb(readFileSync(file, "utf8"), name);
  const k = await KernelClient.start({ notebookPath: file.replace(/\.ipynb$/, ".mlnb") });
  try {
    let n = 0;
    for (const cell of nb.cells) {
      if (cell.kind !== "code") continue;
      n++;
      const label = `${name} cell ${n} (${cell.source.split("\n")[0]})`;
      const collector = new OutputCollector();
      const r = await k.execute(cell.source, { cellId: `cell${n}` }, (reply) => void collector.add(reply));
      const errors = collector.outputs.filter((o) => o.output_type === "error");
      assert.equal(r.status, "ok", `${label}: ${JSON.stringify(errors)}`);
      sameOutputs(label, collector.outputs, cell.outputs);
    }
  } finally {
    await k.shutdown();
  }
}

describe("the tslab corpus", () => {
  it("runs the TypeScript tour: display API, top-level await, redeclared names, an image read beside the notebook", async () => {
    await runCorpusNotebook("tour.ipynb");
  });

  it("runs the JavaScript notebook: require, untyped classes, JSDoc types, __filename", async () => {
    await runCorpusNotebook("javascript.ipynb");
  });

  it("runs the TensorFlow.js notebook written for tfjs-node, with its data from ../lib", async () => {
    await runCorpusNotebook("tensorflow.ipynb");
  });
});
