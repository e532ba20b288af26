// The .mlnb format: canonical bytes, line arrays, outputs, and errors that name line and column.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { NotebookFormatError, parseNotebook, serializeNotebook, type Notebook } from "../../../kernel/notebook/format.js";
import { OutputCollector, outputText } from "../../../kernel/notebook/outputs.js";
import { jsonErrorOffset } from "../../../kernel/json/scan.js";
import { listNotebooks } from "../../../kernel/notebook/list.js";

const sample: Notebook = {
  metadata: { title: "t" },
  cells: [
    { kind: "markdown", language: "markdown", source: "# Title\n\ntext", outputs: [], executionCount: null, metadata: {} },
    {
      kind: "code",
      language: "typescript",
      source: "const a = 1;\na + 1",
      executionCount: 3,
      metadata: {},
      outputs: [
        { output_type: "stream", name: "stdout", text: "hello\nworld\n" },
        { output_type: "execute_result", data: { "text/plain": "2", "application/json": { b: 1, a: [1, 2] } }, metadata: {}, execution_count: 3 },
        { output_type: "error", ename: "Error", evalue: "boom", traceback: ["Error: boom", "    at Cell[3], line 1"] },
      ],
    },
  ],
};

describe(".mlnb format", () => {
  it("round-trips a notebook through serialize and parse unchanged", () => {
    assert.deepEqual(parseNotebook(serializeNotebook(sample)), sample);
  });

  it("writes sorted keys, two-space indent, one array element per source line and a trailing newline", () => {
    const text = serializeNotebook(sample);
    assert.ok(text.endsWith("}\n"));
    const doc = JSON.parse(text);
    assert.deepEqual(Object.keys(doc), ["cells", "metadata", "mlnb"]);
    assert.deepEqual(Object.keys(doc.cells[1]), ["executionCount", "kind", "language", "metadata", "outputs", "source"]);
    assert.deepEqual(doc.cells[1].source, ["const a = 1;", "a + 1"]);
    assert.deepEqual(doc.cells[1].outputs[0].text, ["hello", "world", ""]);
    assert.deepEqual(Object.keys(doc.cells[1].outputs[1].data["application/json"]), ["a", "b"]);
    assert.match(text, /^\{\n  "cells": \[/);
  });

  it("saves every example notebook back to identical bytes", () => {
    const dir = new URL("../../../../notebooks/", import.meta.url);
    const files = listNotebooks(dir);
    assert.ok(files.length > 0);
    for (const f of files) {
      const text = readFileSync(new URL(f, dir), "utf8");
      assert.equal(serializeNotebook(parseNotebook(text, f)), text, f);
    }
  });

  it("names the line and column of a file that is not JSON", () => {
    const text = '{\n  "mlnb": 1,\n  "cells": [\n    { "kind": "code" oops }\n  ]\n}\n';
    assert.throws(() => parseNotebook(text, "bad.mlnb"), (e: unknown) => {
      assert.ok(e instanceof NotebookFormatError);
      assert.equal(e.line, 4);
      assert.equal(e.column, 22);
      assert.match(e.message, /^bad\.mlnb:4:22: not valid JSON/);
      return true;
    });
  });

  it("names the field that is wrong in a well-formed file", () => {
    assert.throws(() => parseNotebook('{"mlnb": 1, "cells": [{"kind": "code"}, {"kind": "python"}]}', "x.mlnb"), /x\.mlnb:1:50: cells\[1\]\.kind: expected "code" or "markdown", got "python"$/);
    assert.throws(() => parseNotebook('{"mlnb": 2, "cells": []}', "x.mlnb"), /unsupported format version 2/);
    assert.throws(() => parseNotebook('{"cells": []}', "x.mlnb"), /missing format version/);
  });

  it("reads an empty file as an empty notebook (a new file)", () => {
    assert.deepEqual(parseNotebook(""), { cells: [], metadata: {} });
  });
});

describe("outputs of an execution", () => {
  it("merges consecutive stream text and replaces a display with the same id in place", () => {
    const c = new OutputCollector();
    c.add({ type: "stream", id: "e", name: "stdout", text: "a" });
    c.add({ type: "stream", id: "e", name: "stdout", text: "b\n" });
    c.add({ type: "display", id: "e", data: { "text/plain": "epoch 1" }, displayId: "p" });
    c.add({ type: "stream", id: "e", name: "stderr", text: "warn\n" });
    c.add({ type: "display", id: "e", data: { "text/plain": "epoch 2" }, displayId: "p" });
    c.add({ type: "result", id: "e", data: { "text/plain": "42" } });
    c.setExecutionCount(7);
    assert.deepEqual(c.outputs, [
      { output_type: "stream", name: "stdout", text: "ab\n" },
      { output_type: "display_data", data: { "text/plain": "epoch 2" }, metadata: {} },
      { output_type: "stream", name: "stderr", text: "warn\n" },
      { output_type: "execute_result", data: { "text/plain": "42" }, metadata: {}, execution_count: 7 },
    ]);
  });

  it("prints html outputs as text without tags for the terminal", () => {
    assert.equal(outputText({ output_type: "display_data", data: { "text/html": "<p>a &amp; b</p><br>c" }, metadata: {} }), "a & b\n\nc\n");
  });
});

describe("JSON error positions", () => {
  it("finds the position of an unexpected token that V8 reports without one", () => {
    assert.throws(() => parseNotebook('{\n  "cells": [ oops ]\n}', "n.mlnb"), (e: unknown) => {
      assert.ok(e instanceof NotebookFormatError);
      assert.deepEqual([e.line, e.column], [2, 14]);
      return true;
    });
    assert.equal(jsonErrorOffset('{"a": tru}'), 9);
    assert.equal(jsonErrorOffset('{"a": 1,}'), 8);
    assert.equal(jsonErrorOffset("[1, 2"), 5);
    assert.equal(jsonErrorOffset('{"a": [1, {"b": "x\\q"}]}'), 18);
    assert.equal(jsonErrorOffset('{"a": [1, -2.5e3, "\\u00e9", true, null]}'), -1);
  });
});
