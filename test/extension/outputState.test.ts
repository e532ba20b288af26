// Tests of how one running cell's outputs follow the kernel's replies (merge, append, update in place).
import { test } from "node:test";
import assert from "node:assert/strict";
import { CellOutputState } from "../../extension/outputState.js";

const text = (b: Uint8Array) => new TextDecoder().decode(b);

test("merges consecutive stdout chunks into one output", () => {
  const s = new CellOutputState();
  assert.equal(s.apply({ type: "stream", id: "e1", name: "stdout", text: "a\n" })?.op, "append");
  assert.deepEqual(s.apply({ type: "stream", id: "e1", name: "stdout", text: "b\n" })?.op === "appendItems", true);
  assert.equal(s.outputs.length, 1);
  assert.equal(s.outputs[0].items.map((i) => text(i.data)).join(""), "a\nb\n");
});

test("starts a new output when stderr follows stdout or a display comes between", () => {
  const s = new CellOutputState();
  s.apply({ type: "stream", id: "e1", name: "stdout", text: "out" });
  s.apply({ type: "stream", id: "e1", name: "stderr", text: "err" });
  s.apply({ type: "display", id: "e1", data: { "text/plain": "table" } });
  s.apply({ type: "stream", id: "e1", name: "stderr", text: "more" });
  assert.deepEqual(s.outputs.map((o) => o.items[0].mime), ["application/vnd.code.notebook.stdout", "application/vnd.code.notebook.stderr", "text/plain", "application/vnd.code.notebook.stderr"]);
});

test("replaces a display in place when the same displayId comes again", () => {
  const s = new CellOutputState();
  s.apply({ type: "stream", id: "e1", name: "stdout", text: "training\n" });
  s.apply({ type: "display", id: "e1", data: { "text/plain": "epoch 1/3" }, displayId: "progress" });
  const op = s.apply({ type: "display", id: "e1", data: { "text/plain": "epoch 3/3" }, displayId: "progress", update: true });
  assert.equal(op?.op, "replaceItems");
  assert.equal(op?.op === "replaceItems" && op.index, 1);
  assert.equal(s.outputs.length, 2);
  assert.equal(text(s.outputs[1].items[0].data), "epoch 3/3");
});

test("ignores an update for a display that was never shown, as Jupyter does", () => {
  const s = new CellOutputState();
  assert.equal(s.apply({ type: "display", id: "e1", data: { "text/plain": "x" }, displayId: "nope", update: true }), undefined);
  assert.equal(s.outputs.length, 0);
});

test("adds the error after the output printed before it", () => {
  const s = new CellOutputState();
  s.apply({ type: "stream", id: "e1", name: "stdout", text: "loading\n" });
  s.apply({ type: "error", id: "e1", error: { name: "KernelDied", message: "The kernel died (signal SIGKILL)." } });
  assert.deepEqual(s.outputs.map((o) => o.metadata.outputType), ["stream", "error"]);
  assert.equal(JSON.parse(text(s.outputs[1].items[0].data)).name, "KernelDied");
});

test("caps a cell's outputs at mlnb.output.maxBytes and notes what was cut and the setting to raise", () => {
  const s = new CellOutputState({ capBytes: 12 });
  s.apply({ type: "stream", id: "e1", name: "stdout", text: "0123456789" });
  assert.equal(s.note(), undefined, "nothing cut yet");
  assert.equal(s.apply({ type: "stream", id: "e1", name: "stdout", text: "abcdef" })?.op, "appendItems");
  const first = s.note();
  assert.equal(first?.op, "append");
  assert.equal(s.apply({ type: "stream", id: "e1", name: "stdout", text: "dropped" }), undefined);
  assert.equal(s.note(), undefined, "the note is shown once while the cell runs");
  const last = s.note(true);
  assert.equal(last?.op === "replaceItems" && last.index, 1);
  assert.equal(s.outputs[0].items.map((i) => text(i.data)).join(""), "0123456789ab");
  assert.match(text(s.outputs[1].items[0].data), /output cut: 11 B in 1 output not kept; a cell keeps at most 12 B of output \(raise it with the setting "mlnb\.output\.maxBytes"\)/);
});
