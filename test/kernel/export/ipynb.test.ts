// Tests of Jupyter interop: .mlnb -> nbformat 4.5 (validated by Python's nbformat) -> .mlnb.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fromIpynb, IpynbError, toIpynb } from "../../../kernel/export/index.js";
import type { Notebook } from "../../../kernel/notebook/format.js";

// Debian's python3-nbformat lives in the system Python, which a pyenv shim on PATH may hide.
const python = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
const root = mkdtempSync(join(tmpdir(), "mlnb-ipynb-"));
after(() => rmSync(root, { recursive: true, force: true }));

const nb: Notebook = {
  metadata: { title: "demo" },
  cells: [
    { kind: "markdown", language: "markdown", source: "# Demo\ntext", outputs: [], executionCount: null, metadata: {} },
    {
      kind: "code",
      language: "typescript",
      source: '%%stage ingest --gate "f1>=0.8"\nconst x = 1;\nx',
      executionCount: 3,
      metadata: {},
      outputs: [
        { output_type: "stream", name: "stdout", text: "line 1\nline 2\n" },
        { output_type: "display_data", data: { "text/html": "<b>hi</b>", "application/vnd.vegalite.v5+json": { mark: "point" }, "text/plain": "chart" }, metadata: {} },
        { output_type: "execute_result", data: { "text/plain": "1" }, metadata: {}, execution_count: 3 },
        { output_type: "error", ename: "Error", evalue: "boom", traceback: ["at cell 1"] },
      ],
    },
  ],
};

test("writes a notebook that Python's nbformat validates as version 4.5", () => {
  const file = join(root, "demo.ipynb");
  writeFileSync(file, toIpynb(nb));
  const script = "import nbformat, sys\nnb = nbformat.read(sys.argv[1], as_version=4)\nnbformat.validate(nb)\nprint(nb.nbformat, nb.nbformat_minor, len(nb.cells), nb.cells[1].source.splitlines()[0])";
  const out = execFileSync(python, ["-c", script, file], { encoding: "utf8" }).trim();
  assert.equal(out, '4 5 2 %%stage ingest --gate "f1>=0.8"');
});

test("keeps magics as cell text and outputs in nbformat shapes", () => {
  const doc = JSON.parse(toIpynb(nb));
  assert.deepEqual(doc.cells[1].source, ['%%stage ingest --gate "f1>=0.8"\n', "const x = 1;\n", "x"]);
  assert.deepEqual(doc.cells[1].outputs[0], { output_type: "stream", name: "stdout", text: ["line 1\n", "line 2\n"] });
  assert.deepEqual(doc.cells[1].outputs[1].data["application/vnd.vegalite.v5+json"], { mark: "point" });
  assert.equal(doc.cells[1].execution_count, 3);
  assert.equal(doc.metadata.kernelspec.name, "mlnb");
});

test("imports back the same notebook it exported", () => {
  assert.deepEqual(fromIpynb(toIpynb(nb)), nb);
});

test("imports raw cells as markdown and rejects nbformat 3 with a clear message", () => {
  const doc = { nbformat: 4, nbformat_minor: 2, metadata: {}, cells: [{ cell_type: "raw", metadata: {}, source: ["raw text"] }] };
  assert.equal(fromIpynb(JSON.stringify(doc)).cells[0]!.kind, "markdown");
  assert.throws(() => fromIpynb(JSON.stringify({ nbformat: 3, worksheets: [] }), "old.ipynb"), (e: unknown) => e instanceof IpynbError && /old\.ipynb: nbformat 3 is not supported/.test(e.message));
  assert.throws(() => fromIpynb('{"nbformat": 4,\n "cells": [}', "bad.ipynb"), /bad\.ipynb:2:\d+: not valid JSON/);
});
