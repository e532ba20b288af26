// Tests of the conversion between .mlnb files and VS Code's notebook data, and of the open-error message.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseNotebook, serializeNotebook } from "../../kernel/notebook/format.js";
import { fromPlainNotebook, openErrorMessage, toPlainNotebook } from "../../extension/notebookData.js";

const fixture = (name: string) => readFileSync(new URL(`../../../test/e2e/fixtures/${name}`, import.meta.url), "utf8");

test("opens and saves the sample notebook to the same bytes", () => {
  const text = fixture("sample.mlnb");
  assert.equal(serializeNotebook(fromPlainNotebook(toPlainNotebook(parseNotebook(text)))), text);
});

test("gives markdown cells the markdown language and code cells their execution order", () => {
  const nb = parseNotebook(JSON.stringify({ mlnb: 1, cells: [{ kind: "markdown", source: ["# t"] }, { kind: "code", language: "typescript", source: ["1"], executionCount: 4, outputs: [] }] }));
  const plain = toPlainNotebook(nb);
  assert.deepEqual(plain.cells.map((c) => [c.kind, c.languageId, c.executionOrder]), [["markdown", "markdown", undefined], ["code", "mlnb-typescript", 4]]);
});

test("shows typescript code cells in the mlnb cell language and saves them as typescript", () => {
  const nb = parseNotebook(JSON.stringify({ mlnb: 1, cells: [{ kind: "code", language: "typescript", source: ["%%params", "const a = 1;"], outputs: [] }, { kind: "code", language: "python", source: ["1"], outputs: [] }] }));
  const plain = toPlainNotebook(nb);
  assert.deepEqual(plain.cells.map((c) => c.languageId), ["mlnb-typescript", "python"]);
  assert.deepEqual(fromPlainNotebook(plain).cells.map((c) => c.language), ["typescript", "python"]);
  // A cell the user switched to VS Code's plain TypeScript is still a TypeScript cell in the file.
  plain.cells[0].languageId = "typescript";
  assert.equal(fromPlainNotebook(plain).cells[0].language, "typescript");
});

test("saves outputs of a run with the cell's execution count", () => {
  const plain = toPlainNotebook(parseNotebook(fixture("sample.mlnb")));
  plain.cells[2].executionOrder = 3;
  plain.cells[2].outputs = [{ items: [{ mime: "text/plain", data: new TextEncoder().encode("42") }], metadata: { outputType: "execute_result" } }];
  const saved = fromPlainNotebook(plain).cells[2];
  assert.equal(saved.executionCount, 3);
  assert.deepEqual(saved.outputs, [{ output_type: "execute_result", data: { "text/plain": "42" }, metadata: {}, execution_count: 3 }]);
});

test("names the line and column of a malformed file and says it is left alone", () => {
  let error: unknown;
  try {
    parseNotebook(fixture("broken.mlnb"), "notebook");
  } catch (e) {
    error = e;
  }
  const message = openErrorMessage(error);
  assert.match(message, /^Cannot open this \.mlnb notebook at line 3, column 1: not valid JSON: Expected double-quoted property name/);
  assert.match(message, /The file is left as it is\.$/);
});

test("names the field of a structurally wrong file", () => {
  let error: unknown;
  try {
    parseNotebook(JSON.stringify({ mlnb: 1, cells: [{ kind: "raw" }] }), "notebook");
  } catch (e) {
    error = e;
  }
  assert.match(openErrorMessage(error), /^Cannot open this \.mlnb notebook at line 1, column 28: cells\[0\]\.kind: expected "code" or "markdown", got "raw"/);
});
