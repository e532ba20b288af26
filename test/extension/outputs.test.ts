// Tests of the pure mapping from kernel replies and saved outputs to VS Code output items.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ERROR_MIME, VEGALITE_MIME } from "../../kernel/protocol.js";
import { bundleToItems, bytesToMimeValue, mimeValueToBytes, notebookOutputToPlain, plainToNotebookOutput, replyToOutput, STDERR_MIME, STDOUT_MIME } from "../../extension/outputs.js";

const text = (b: Uint8Array) => new TextDecoder().decode(b);

test("maps a stdout stream reply to a stdout item with its text", () => {
  const out = replyToOutput({ type: "stream", id: "e1", name: "stdout", text: "epoch 1\n" })!;
  assert.deepEqual(out.items.map((i) => [i.mime, text(i.data)]), [[STDOUT_MIME, "epoch 1\n"]]);
  assert.equal(out.metadata.outputType, "stream");
});

test("maps a stderr stream reply to a stderr item", () => {
  const out = replyToOutput({ type: "stream", id: "e1", name: "stderr", text: "warn" })!;
  assert.equal(out.items[0].mime, STDERR_MIME);
});

test("orders a display's items so the vega-lite spec comes before its SVG and text fallbacks", () => {
  const spec = { mark: "bar", data: { values: [{ a: 1 }] } };
  const out = replyToOutput({ type: "display", id: "e1", data: { "text/plain": "<chart>", "image/svg+xml": "<svg/>", [VEGALITE_MIME]: spec }, displayId: "d1" })!;
  assert.deepEqual(out.items.map((i) => i.mime), [VEGALITE_MIME, "image/svg+xml", "text/plain"]);
  assert.deepEqual(JSON.parse(text(out.items[0].data)), spec);
  assert.equal(text(out.items[1].data), "<svg/>");
  assert.deepEqual(out.metadata, { outputType: "display_data", displayId: "d1" });
});

test("maps a result reply to an execute_result output with html before plain text", () => {
  const out = replyToOutput({ type: "result", id: "e1", data: { "text/plain": "42", "text/html": "<b>42</b>" } })!;
  assert.deepEqual(out.items.map((i) => i.mime), ["text/html", "text/plain"]);
  assert.equal(out.metadata.outputType, "execute_result");
});

test("maps an error reply to VS Code's error mime with name, message (with the cell position) and stack", () => {
  const out = replyToOutput({ type: "error", id: "e1", error: { name: "RangeError", message: "epochs must be positive", stack: "RangeError: epochs must be positive\n    at Cell[3], line 2", line: 2, column: 7 } })!;
  assert.equal(out.items.length, 1);
  assert.equal(out.items[0].mime, ERROR_MIME);
  assert.deepEqual(JSON.parse(text(out.items[0].data)), { name: "RangeError", message: "epochs must be positive (cell line 2, column 7)", stack: "RangeError: epochs must be positive\n    at Cell[3], line 2" });
  assert.deepEqual(out.metadata.traceback, ["RangeError: epochs must be positive", "    at Cell[3], line 2"]);
});

test("gives no output for replies that are not outputs", () => {
  assert.equal(replyToOutput({ type: "done", id: "e1", status: "ok", executionCount: 1, durationMs: 3 }), undefined);
  assert.equal(replyToOutput({ type: "stage", id: "e1", info: { name: "train" } }), undefined);
  assert.equal(replyToOutput({ type: "status", state: "busy" }), undefined);
});

test("decodes base64 PNG into bytes and encodes them back for saving", () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
  const bytes = mimeValueToBytes("image/png", png.toString("base64"));
  assert.deepEqual([...bytes], [...png]);
  assert.equal(bytesToMimeValue("image/png", bytes), png.toString("base64"));
});

test("keeps a JSON mime as JSON and a text mime as text through bytes", () => {
  assert.deepEqual(bytesToMimeValue("application/json", mimeValueToBytes("application/json", { a: [1, 2] })), { a: [1, 2] });
  assert.equal(bytesToMimeValue("text/html", mimeValueToBytes("text/html", "<p>é</p>")), "<p>é</p>");
});

test("drops null entries of a mime bundle", () => {
  assert.deepEqual(bundleToItems({ "text/plain": "x", "text/html": null }).map((i) => i.mime), ["text/plain"]);
});

test("round-trips every saved nbformat output kind through VS Code items", () => {
  const outputs = [
    { output_type: "stream" as const, name: "stderr" as const, text: "a\nb\n" },
    { output_type: "display_data" as const, data: { "text/plain": "t", [VEGALITE_MIME]: { mark: "point" } }, metadata: { width: 3 } },
    { output_type: "execute_result" as const, data: { "text/plain": "42" }, metadata: {}, execution_count: 5 },
    { output_type: "error" as const, ename: "TypeError", evalue: "x is not a function", traceback: ["TypeError: x is not a function", "    at Cell[2], line 1"] },
  ];
  for (const o of outputs) assert.deepEqual(plainToNotebookOutput(notebookOutputToPlain(o), 9), o);
});

test("saves an execute_result made in this session with the cell's execution count", () => {
  const plain = replyToOutput({ type: "result", id: "e1", data: { "text/plain": "7" } })!;
  assert.deepEqual(plainToNotebookOutput(plain, 12), { output_type: "execute_result", data: { "text/plain": "7" }, metadata: {}, execution_count: 12 });
});

test("saves a merged stdout output as one stream with all its text", () => {
  const plain = { items: [STDOUT_MIME, STDOUT_MIME].map((mime, i) => ({ mime, data: new TextEncoder().encode(`line ${i}\n`) })), metadata: { outputType: "stream" as const } };
  assert.deepEqual(plainToNotebookOutput(plain, 1), { output_type: "stream", name: "stdout", text: "line 0\nline 1\n" });
});
