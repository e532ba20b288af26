// Tests of turning the kernel's type, syntax and magic errors into positioned cell problems.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cellProblems, parseCellProblems, problemRange } from "../../extension/cellErrors.js";

test("reads every type error line of a TypeScriptError with its line, column and code", () => {
  const problems = parseCellProblems({
    name: "TypeScriptError",
    message: "Cell[3]:2:7 - TS2322: Type 'string' is not assignable to type 'number'.\nCell[3]:4:1 - TS2304: Cannot find name 'pengiuns'.",
    line: 2,
    column: 7,
  });
  assert.deepEqual(problems, [
    { line: 2, column: 7, code: 2322, message: "Type 'string' is not assignable to type 'number'." },
    { line: 4, column: 1, code: 2304, message: "Cannot find name 'pengiuns'." },
  ]);
});

test("keeps the indented lines of a chained TypeScript message with the problem above them", () => {
  const [p] = parseCellProblems({
    name: "TypeScriptError",
    message: "Cell[1]:1:7 - TS2322: Type '{ a: string; }' is not assignable to type 'T'.\n  Types of property 'a' are incompatible.",
  });
  assert.equal(p.message, "Type '{ a: string; }' is not assignable to type 'T'.\n  Types of property 'a' are incompatible.");
});

test("reads magic errors with and without a column", () => {
  assert.deepEqual(parseCellProblems({ name: "MagicError", message: "Cell[2]:1:3: error: unknown cell magic %%stag (did you mean %%stage?)", line: 1, column: 3 }), [
    { line: 1, column: 3, message: "unknown cell magic %%stag (did you mean %%stage?)" },
  ]);
  assert.deepEqual(parseCellProblems({ name: "MagicError", message: "Cell[2]:2: %seed: expects an integer, got abc", line: 2, column: 1 }), [
    { line: 2, column: 1, message: "%seed: expects an integer, got abc" },
  ]);
});

test("falls back to the error's own line and column when the message has no position lines", () => {
  assert.deepEqual(parseCellProblems({ name: "SyntaxError", message: "Unexpected token", line: 3, column: 5 }), [{ line: 3, column: 5, message: "Unexpected token" }]);
  assert.deepEqual(parseCellProblems({ name: "SyntaxError", message: "Unexpected token" }), []);
});

test("shows no problems for runtime errors, which the cell output shows", () => {
  assert.deepEqual(cellProblems({ name: "RangeError", message: "epochs must be positive", line: 1 }), []);
  assert.equal(cellProblems({ name: "TypeScriptError", message: "Cell[1]:1:1 - TS1005: ';' expected." }).length, 1);
});

test("covers the word at the problem's column and clamps positions outside the text", () => {
  const text = "%%stage clean\nconst n: number = pengiuns.length;";
  assert.deepEqual(problemRange(text, { line: 2, column: 19, message: "" }), { line: 1, start: 18, end: 26 });
  assert.deepEqual(problemRange(text, { line: 2, column: 27, message: "" }), { line: 1, start: 26, end: 27 });
  assert.deepEqual(problemRange(text, { line: 9, column: 99, message: "" }), { line: 1, start: 34, end: 34 });
});
