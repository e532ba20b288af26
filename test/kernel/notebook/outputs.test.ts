// Tests of how replies fold into a cell's saved outputs under the per-cell output cap.
import assert from "node:assert/strict";
import { test } from "node:test";
import { OutputCollector } from "../../../kernel/notebook/outputs.js";
import { cutText, RAISE_IN_CLI } from "../../../kernel/notebook/outputCap.js";

const out = (text: string) => ({ type: "stream" as const, id: "e", name: "stdout" as const, text });
const plain = (o: unknown) => JSON.stringify(o);

test("keeps a cell's output whole under the cap and adds no note", () => {
  const c = new OutputCollector(undefined, { capBytes: 100 });
  c.add(out("a\n"));
  c.add({ type: "display", id: "e", data: { "text/plain": "table" } });
  c.finish();
  assert.deepEqual(c.outputs.map((o) => o.output_type), ["stream", "display_data"]);
});

test("cuts stream text at the cap, drops what follows, and the final note counts it", () => {
  const c = new OutputCollector(undefined, { capBytes: 10, raise: RAISE_IN_CLI });
  c.add(out("12345678"));
  c.add(out("abcdef"));
  c.add(out("more")); // would have merged into the same output: counted once
  c.add({ type: "display", id: "e", data: { "text/plain": "late" } });
  assert.equal((c.outputs[0] as { text: string }).text, "12345678ab");
  assert.match(plain(c.outputs[1]), /output cut: the output that follows is not kept/);
  c.finish();
  assert.equal(c.outputs.length, 2);
  assert.match(plain(c.outputs[1]), /output cut: 29 B in 2 outputs not kept; a cell keeps at most 10 B of output \(raise it with mlnb run --max-output BYTES\)/);
});

test("drops a display over the cap whole but keeps the smaller ones after it, and always keeps errors", () => {
  const c = new OutputCollector(undefined, { capBytes: 60 });
  const big = { "application/json": Array.from({ length: 50 }, (_, i) => i) };
  c.add({ type: "display", id: "e", data: big });
  c.add({ type: "result", id: "e", data: { "text/plain": "'done'" } });
  c.add({ type: "error", id: "e", error: { name: "Error", message: "boom" } });
  c.finish();
  assert.deepEqual(c.outputs.map((o) => o.output_type), ["display_data", "execute_result", "error"]);
  assert.match(plain(c.outputs[0]), new RegExp(`output cut: ${JSON.stringify(big).length} B in 1 output not kept`));
  assert.match(plain(c.outputs[1]), /done/);
});

test("a display updated in place takes the cap once, for its last state", () => {
  const c = new OutputCollector(undefined, { capBytes: 80 });
  for (let epoch = 1; epoch <= 100; epoch++) c.add({ type: "display", id: "e", data: { "text/plain": `epoch ${epoch}/100` }, displayId: "p", update: epoch > 1 });
  c.add(out("trained\n"));
  c.finish();
  assert.equal(c.outputs.length, 2);
  assert.match(plain(c.outputs[0]), /epoch 100\/100/);
  assert.match(plain(c.outputs[1]), /trained/);
});

test("cuts text between characters, never inside one", () => {
  assert.equal(cutText("añb", 2), "a");
  assert.equal(cutText("añb", 3), "añ");
  assert.equal(cutText("😀x", 3), "");
});
