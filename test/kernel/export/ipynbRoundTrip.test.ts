// Tests that .ipynb files survive import then export: ids, raw cells, attachments, metadata, papermill tags, other languages.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fromIpynb, IpynbError, toIpynb } from "../../../kernel/export/index.js";
import { parseNotebook, serializeNotebook } from "../../../kernel/notebook/format.js";

const python = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
const root = mkdtempSync(join(tmpdir(), "mlnb-ipynb-rt-"));
after(() => rmSync(root, { recursive: true, force: true }));

/** import, save as .mlnb, load, export: what `mlnb import` then `mlnb export --to ipynb` do. */
function roundTrip(text: string, file: string, force = false): string {
  const mlnb = serializeNotebook(fromIpynb(text, file, { force }));
  return toIpynb(parseNotebook(mlnb, file.replace(/\.ipynb$/, ".mlnb")));
}

// A TypeScript notebook modelled on tslab's examples: ids, a LaTeX raw cell, a pasted image, papermill parameters.
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const TS_NOTEBOOK = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {
    kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" },
    language_info: { name: "typescript", version: "5.0.4", mimetype: "text/typescript", file_extension: ".ts", codemirror_mode: { mode: "typescript", name: "javascript", typescript: true } },
    authors: [{ name: "A. Analyst" }],
    title: "Penguin sizes",
    jupytext: { formats: "ipynb,ts:percent" },
  },
  cells: [
    { id: "intro-1", cell_type: "markdown", metadata: { tags: ["intro"] }, source: ["# Penguins\n", "![logo](attachment:logo.png)"], attachments: { "logo.png": { "image/png": PNG } } },
    { id: "latex-2", cell_type: "raw", metadata: { raw_mimetype: "text/latex" }, source: ["\\section{Method}"] },
    { id: "params-3", cell_type: "code", metadata: { tags: ["parameters"] }, execution_count: 1, outputs: [], source: ["const epochs = 20;\n", "const lr = 0.01;"] },
    {
      id: "plot-4",
      cell_type: "code",
      metadata: { collapsed: false, jupyter: { source_hidden: false } },
      execution_count: 2,
      source: ["console.log(epochs * lr);\n", "epochs"],
      outputs: [
        { output_type: "stream", name: "stdout", text: ["0.2\n"] },
        { output_type: "display_data", data: { "image/png": PNG, "text/plain": ["<Figure>"] }, metadata: { "image/png": { width: 1, height: 1 } } },
        { output_type: "execute_result", data: { "text/plain": ["20"] }, metadata: {}, execution_count: 2 },
      ],
    },
  ],
};

test("a tagged parameters cell imports as %%params and exports with the tag again", () => {
  const nb = fromIpynb(JSON.stringify(TS_NOTEBOOK), "penguins.ipynb");
  assert.equal(nb.cells[2]!.source, "%%params\nconst epochs = 20;\nconst lr = 0.01;");
  const back = JSON.parse(roundTrip(JSON.stringify(TS_NOTEBOOK), "penguins.ipynb"));
  assert.deepEqual(back.cells[2].metadata.tags, ["parameters"]);
  assert.deepEqual(back.cells[2].source, ["%%params\n", "const epochs = 20;\n", "const lr = 0.01;"]);
  // A %%params cell written in mlnb gets the tag papermill looks for.
  const own = JSON.parse(toIpynb({ metadata: {}, cells: [{ kind: "code", language: "typescript", source: "%%params\nconst k = 3;", outputs: [], executionCount: null, metadata: {} }] }));
  assert.deepEqual(own.cells[0].metadata.tags, ["parameters"]);
});

test("cell ids, the raw cell with its raw_mimetype, attachments and top-level metadata survive import then export", () => {
  const back = JSON.parse(roundTrip(JSON.stringify(TS_NOTEBOOK), "penguins.ipynb"));
  assert.deepEqual(back.cells.map((c: any) => c.id), ["intro-1", "latex-2", "params-3", "plot-4"]);
  assert.deepEqual(back.cells.map((c: any) => c.cell_type), ["markdown", "raw", "code", "code"]);
  assert.deepEqual(back.cells[1], TS_NOTEBOOK.cells[1]);
  assert.deepEqual(back.cells[0], TS_NOTEBOOK.cells[0]);
  assert.deepEqual(back.cells[3], TS_NOTEBOOK.cells[3]);
  assert.deepEqual(back.metadata.authors, TS_NOTEBOOK.metadata.authors);
  assert.equal(back.metadata.title, "Penguin sizes");
  assert.deepEqual(back.metadata.jupytext, TS_NOTEBOOK.metadata.jupytext);
  // It is a TypeScript notebook: it now names mlnb's kernel, which runs it.
  assert.equal(back.metadata.kernelspec.name, "mlnb");
  assert.equal(back.metadata.kernelspec.display_name, "TypeScript (mlnb)");
  // Exporting again changes nothing.
  assert.deepEqual(JSON.parse(roundTrip(JSON.stringify(back), "again.ipynb")), back);
});

test("a notebook in another language is refused, naming its language, and kept as it is with force", () => {
  const py = { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: "python3", display_name: "Python 3", language: "python" }, language_info: { name: "python", version: "3.11.2" } }, cells: [{ id: "a", cell_type: "code", metadata: {}, execution_count: null, outputs: [], source: ["import pandas as pd"] }] };
  assert.throws(
    () => fromIpynb(JSON.stringify(py), "analysis.ipynb"),
    (e: unknown) => e instanceof IpynbError && /analysis\.ipynb: metadata\.kernelspec: the notebook is written in python; .*--force/.test(e.message),
  );
  const nb = fromIpynb(JSON.stringify(py), "analysis.ipynb", { force: true });
  assert.equal(nb.cells[0]!.language, "python");
  const back = JSON.parse(roundTrip(JSON.stringify(py), "analysis.ipynb", true));
  assert.deepEqual(back.metadata, py.metadata);
  assert.deepEqual(back.cells, py.cells);
});

test("the mlnb import command refuses a Python notebook without --force and imports it with", () => {
  const file = join(root, "analysis.ipynb");
  writeFileSync(file, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: "ir", display_name: "R", language: "R" } }, cells: [] }));
  const cli = join(process.cwd(), "bin", "mlnb.js");
  const refused = (() => {
    try {
      execFileSync(process.execPath, [cli, "import", file], { encoding: "utf8", stdio: "pipe" });
      return "";
    } catch (e) {
      return (e as { stderr: string }).stderr;
    }
  })();
  assert.match(refused, /analysis\.ipynb: metadata\.kernelspec: the notebook is written in r;/);
  assert.equal(existsSync(join(root, "analysis.mlnb")), false);
  execFileSync(process.execPath, [cli, "import", file, "--force"], { stdio: "pipe" });
  assert.equal(existsSync(join(root, "analysis.mlnb")), true);
});

// Real public notebooks: the test notebooks Debian's python3-nbclient ships (BSD licensed), read in place.
const VERIFY = String.raw`
import json, sys, nbformat
from nbconvert import HTMLExporter
out = {}
for orig, rt in json.loads(sys.argv[1]):
    r = {}
    try:
        HTMLExporter().from_filename(orig); r["orig_converts"] = True
    except Exception as e:
        r["orig_converts"] = False
    try:
        nbformat.validate(nbformat.read(orig, as_version=4)); r["orig_valid"] = True
    except Exception as e:
        r["orig_valid"] = False
    nb = nbformat.read(rt, as_version=4)
    try:
        nbformat.validate(nb); r["valid"] = True
    except Exception as e:
        r["valid"] = str(e)[:300]
    try:
        HTMLExporter().from_filename(rt); r["converts"] = True
    except Exception as e:
        r["converts"] = str(e)[:300]
    a = nbformat.read(orig, as_version=4)
    strip = lambda c: {k: v for k, v in c.items() if k != "id"}
    r["same_cells"] = [strip(x) for x in a.cells] == [strip(y) for y in nb.cells]
    r["same_ids"] = all(x.get("id") == y.get("id") for x, y in zip(a.cells, nb.cells) if "id" in x)
    r["same_metadata"] = {k: v for k, v in a.metadata.items() if k not in ("kernelspec", "language_info")} == {k: v for k, v in nb.metadata.items() if k not in ("kernelspec", "language_info")}
    out[orig] = r
print(json.dumps(out))
`;

test("real public notebooks round-trip to files nbformat validates and nbconvert converts to HTML whenever the original converts", () => {
  const dir = execFileSync(python, ["-c", "import nbclient, os; print(os.path.join(os.path.dirname(nbclient.__file__), 'tests', 'files'))"], { encoding: "utf8" }).trim();
  const files = readdirSync(dir).filter((f) => f.endsWith(".ipynb"));
  assert.ok(files.length >= 10, `expected the nbclient test notebooks in ${dir}`);
  const pairs = files.map((f, i) => {
    const out = join(root, `rt-${i}.ipynb`);
    writeFileSync(out, roundTrip(readFileSync(join(dir, f), "utf8"), f, true));
    return [join(dir, f), out];
  });
  const report = JSON.parse(execFileSync(python, ["-c", VERIFY, JSON.stringify(pairs)], { encoding: "utf8", maxBuffer: 64 << 20 })) as Record<string, Record<string, unknown>>;
  assert.ok(Object.values(report).filter((r) => r.valid === true && r.converts === true).length >= 10);
  for (const [orig, r] of Object.entries(report)) {
    if (r.orig_valid) assert.equal(r.valid, true, `${orig}: ${r.valid}`);
    if (r.orig_converts) assert.equal(r.converts, true, `${orig}: ${r.converts}`);
    assert.equal(r.same_cells, true, `${orig}: cells differ after the round trip`);
    assert.equal(r.same_ids, true, `${orig}: cell ids differ`);
    assert.equal(r.same_metadata, true, `${orig}: metadata differs`);
  }
});
