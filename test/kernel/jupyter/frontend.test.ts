// Tests of the front end's pure parts: where the notebook is, which cell id an execution is filed under, tracebacks.
import assert from "node:assert/strict";
import { test } from "node:test";
import { cellIdFor, traceback } from "../../../kernel/jupyter/execute.js";
import { notebookPathFor } from "../../../kernel/jupyter/notebookPath.js";

test("the notebook is JPY_SESSION_NAME in the kernel's folder, else MLNB_NOTEBOOK, else named after the folder", () => {
  assert.equal(notebookPathFor({ JPY_SESSION_NAME: "work/penguins.ipynb" }, "/home/u/work"), "/home/u/work/penguins.ipynb");
  assert.equal(notebookPathFor({ JPY_SESSION_NAME: "/srv/nb/cars.ipynb" }, "/srv/nb"), "/srv/nb/cars.ipynb");
  assert.equal(notebookPathFor({ MLNB_NOTEBOOK: "/a/b.mlnb" }, "/a"), "/a/b.mlnb");
  assert.equal(notebookPathFor({}, "/data/weather"), "/data/weather/weather.mlnb");
});

test("an execution is filed under the client's cell id, else its stage, else its count", () => {
  assert.equal(cellIdFor("const a = 1;", { cellId: "lab-cell-7" }, 3), "lab-cell-7");
  assert.equal(cellIdFor("%%stage train --needs clean\nconst m = 1;", {}, 3), "jupyter-stage-train");
  assert.equal(cellIdFor("%%params\nconst epochs = 5;", {}, 4), "jupyter-params");
  assert.equal(cellIdFor("1 + 1", {}, 5), "jupyter-5");
});

test("a traceback starts with the error and keeps the stack's cell lines", () => {
  assert.deepEqual(traceback({ name: "Error", message: "boom", stack: "Error: boom\n    at Cell[2], line 3" }), ["Error: boom", "    at Cell[2], line 3"]);
  assert.deepEqual(traceback({ name: "GateError", message: "stage train: f1 0.5 < 0.8" }), ["GateError: stage train: f1 0.5 < 0.8"]);
  assert.deepEqual(traceback({ name: "SyntaxError", message: "';' expected", line: 2, column: 7 }), ["SyntaxError: ';' expected", "    at line 2, column 7"]);
});
