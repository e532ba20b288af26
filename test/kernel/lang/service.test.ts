// The notebook language service answers completions, hover, signatures, definitions and diagnostics over the cells in order.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import * as ts from "typescript";
import { NotebookLanguageService, type LangCell } from "../../../kernel/lang/service.js";

const dir = mkdtempSync(join(tmpdir(), "mlnb-lang-"));
writeFileSync(join(dir, "helpers.ts"), "/** Scales a number by ten. */\nexport function scale(x: number): number {\n  return x * 10;\n}\n");
after(() => rmSync(dir, { recursive: true, force: true }));

const at = (text: string, marker = "|") => ({ text: text.replace(marker, ""), offset: text.indexOf(marker) });

describe("notebook language service", () => {
  let s: NotebookLanguageService;
  const cells = (...texts: string[]): LangCell[] => texts.map((text, i) => ({ id: `c${i}`, text }));
  const labels = (cellId: string, offset: number) => s.completions(cellId, offset).items.map((i) => i.label);
  before(() => {
    s = new NotebookLanguageService(ts, dir);
  });

  it("completes members of mlnb's read verbs", () => {
    const c = at('import { read } from "mlnb";\nconst t = read.|');
    s.setCells([{ id: "a", text: c.text }]);
    const got = s.completions("a", c.offset);
    const names = got.items.map((i) => i.label);
    for (const v of ["csv", "json", "parquet"]) assert.ok(names.includes(v), v);
    assert.deepEqual([got.start, got.end], [c.offset, c.offset], "nothing typed yet: an empty range at the cursor");
  });

  it("completes arquero table methods and Node modules' members", () => {
    const c = at('import * as aq from "arquero";\nimport { readFileSync } from "node:fs";\nconst t = aq.table({ a: [1] });\nt.der|');
    s.setCells([{ id: "a", text: c.text }]);
    const got = s.completions("a", c.offset);
    assert.ok(got.items.some((i) => i.label === "derive"));
    assert.deepEqual([got.start, got.end], [c.offset - 3, c.offset], "the typed prefix is replaced");
    const p = at('import path from "node:path";\npath.bas|');
    s.setCells([{ id: "a", text: p.text }]);
    assert.ok(labels("a", p.offset).includes("basename"));
  });

  it("knows names declared in other cells, and their types", () => {
    s.setCells(cells("const total = 40;\nconst label = 'x';", "tot", "total + 1"));
    assert.ok(labels("c1", 3).includes("total"));
    assert.match(s.hover("c2", 1)!.markdown, /const total: 40/);
  });

  it("offers magics after % and %%, and stage names after --needs", () => {
    s.setCells(cells("%%stage ingest\nconst raw = 1;", "%%stage clean\nconst tidy = raw;", "%%", "%se", "%%stage train --needs ingest,cl"));
    assert.ok(labels("c2", 2).includes("stage") && labels("c2", 2).includes("params"));
    assert.ok(!labels("c2", 2).includes("seed"), "line magics are not cell magics");
    const line = s.completions("c3", 3);
    assert.ok(line.items.some((i) => i.label === "seed"));
    assert.deepEqual([line.start, line.end], [1, 3]);
    const needs = s.completions("c4", "%%stage train --needs ingest,cl".length);
    assert.deepEqual(needs.items.map((i) => i.label), ["clean"], "stages already listed and the cell's own stage are left out");
    assert.equal(needs.start, "%%stage train --needs ingest,".length);
  });

  it("hover shows a library function's signature and its doc comment", () => {
    const c = at('import { split } from "mlnb";\nsplit.trainTe|stSplit');
    s.setCells([{ id: "a", text: c.text }]);
    const h = s.hover("a", c.offset)!;
    assert.match(h.markdown, /trainTestSplit: \(table: ColumnTable, options\?: TrainTestSplitOptions\)/);
    assert.match(h.markdown, /scikit-learn/);
    assert.equal(c.text.slice(h.start, h.end), "trainTestSplit");
  });

  it("hover on read.csv shows its parameters and the result its stream option gives", () => {
    const pre = 'import { read } from "mlnb";\n';
    const hoverOn = (use: string) => {
      s.setCells([{ id: "a", text: pre + use.replace("|", "") }]);
      return s.hover("a", pre.length + use.indexOf("|"))!.markdown;
    };
    const plain = hoverOn("read.c|sv");
    assert.match(plain, /csv\(path: string, options\?: AsTable<CsvReadOptions>\): Promise<ColumnTable> \(\+2 overloads\)/);
    assert.match(plain, /CSV with typed columns \(numbers, dates, booleans, strings\) as one table/);
    assert.match(plain, /@param\* path the file, relative to the notebook's folder/);
    assert.doesNotMatch(plain, /SizedReader</);
    assert.match(hoverOn('read.c|sv("big.csv", { stream: true })'), /csv\(path: string, options: AsBatches<CsvReadOptions>\): Promise<TableBatches>/);
    assert.match(hoverOn('read.c|sv("big.csv", { stream: "auto" })'), /csv\(path: string, options: CsvReadOptions\): Promise<ColumnTable \| TableBatches>/);
  });

  it("signature help on read.csv lists the table, batches and auto forms with their parameters", () => {
    const c = at('import { read } from "mlnb";\nread.csv("penguins.csv", |');
    s.setCells([{ id: "a", text: c.text }]);
    const help = s.signatureHelp("a", c.offset)!;
    assert.deepEqual(help.signatures.map((g) => g.label), [
      "csv(path: string, options?: AsTable<CsvReadOptions>): Promise<ColumnTable>",
      "csv(path: string, options: AsBatches<CsvReadOptions>): Promise<TableBatches>",
      "csv(path: string, options: CsvReadOptions): Promise<ColumnTable | TableBatches>",
    ]);
    assert.equal(help.activeParameter, 1);
    assert.equal(help.signatures[0].parameters[0].documentation, "the file, relative to the notebook's folder");
  });

  it("types a read by its stream option: a table, batches, or either to test with read.isBatches", () => {
    s.setCells(cells('import { read } from "mlnb";\nconst t = await read.csv("a.csv");\nconst n: number = t.numRows();\nconst b = await read.csv("a.csv", { stream: true });\nfor await (const batch of b) batch.numRows();\nconst u = await read.csv("a.csv", { stream: "auto" });\nconst m: number = read.isBatches(u) ? 0 : u.numRows();\nconst q = await read.sql("select 1");\nq.numRows();\nb.numRows();'));
    const problems = s.diagnostics().get("c0")!;
    assert.deepEqual(problems.map((p) => p.code), [2339], problems.map((p) => p.message).join("\n"));
    assert.match(problems[0].message, /Property 'numRows' does not exist on type 'TableBatches'/);
  });

  it("signature help gives the signature and the argument the cursor is in", () => {
    const c = at('import { scale } from "./helpers";\nscale(|');
    s.setCells([{ id: "a", text: c.text }]);
    const help = s.signatureHelp("a", c.offset)!;
    assert.equal(help.signatures[0].label, "scale(x: number): number");
    assert.equal(help.signatures[0].documentation, "Scales a number by ten.");
    assert.equal(help.activeParameter, 0);
  });

  it("goes to definitions in other cells, in local modules and in library .d.ts files", () => {
    const def = "const threshold = 0.5;";
    const use = at('import { scale } from "./helpers";\nimport { read } from "mlnb";\nscale(thresh|old);\nread.csv');
    s.setCells([{ id: "a", text: def }, { id: "b", text: use.text }]);
    assert.deepEqual(s.definition("b", use.offset), [{ cellId: "a", start: 6, end: 15 }]);
    const local = s.definition("b", use.text.indexOf("scale("));
    assert.equal((local[0] as { file: string }).file, join(dir, "helpers.ts"));
    const lib = s.definition("b", use.text.indexOf("csv"));
    assert.ok(lib.some((l) => "file" in l && /out\/kernel\/ml\/read\/.*\.d\.ts$/.test(l.file)), JSON.stringify(lib));
  });

  it("reports a typo in the cell it is in, with its range, and nothing for magic lines", () => {
    s.setCells(cells("%%stage a\n%seed 3\nconst count = 3;", "cuont + 1"));
    const d = s.diagnostics();
    assert.deepEqual(d.get("c0"), []);
    const [typo] = d.get("c1")!;
    assert.equal(typo.code, 2552);
    assert.deepEqual([typo.start, typo.end], [0, 5]);
    assert.match(typo.message, /Did you mean 'count'\?/);
  });

  it("lets a later cell redeclare a name (as notebooks do) but not one cell declare it twice", () => {
    s.setCells(cells("const x = 1;", 'const x = "again";', "let y = 1;\nlet y = 2;"));
    const d = s.diagnostics();
    assert.deepEqual([d.get("c0"), d.get("c1")], [[], []]);
    assert.equal(d.get("c2")!.filter((p) => p.code === 2451).length, 2);
  });

  it("is not strict without a tsconfig.json (tslab's default): implicit any and nullable access pass", () => {
    s.setCells(cells("function f(a) { return a; }\nconst m = new Map<string, number[]>();\nconst first = m.get('k').length;"));
    assert.deepEqual(s.diagnostics().get("c0"), []);
  });

  it("takes compiler options from the nearest tsconfig.json above the notebook", () => {
    const strictDir = join(dir, "strict", "nested");
    mkdirSync(strictDir, { recursive: true });
    writeFileSync(join(dir, "strict", "tsconfig.json"), '{ "compilerOptions": { "strict": true, "module": "commonjs" } }');
    const strict = new NotebookLanguageService(ts, strictDir);
    strict.setCells(cells("function f(a) { return a; }\nconst v = await Promise.resolve(1);"));
    const codes = strict.diagnostics().get("c0")!.map((d) => d.code);
    assert.deepEqual(codes, [7006], "noImplicitAny from the tsconfig; top-level await still works (module is mlnb's)");
  });

  it("accepts arquero's array(name).reduce idiom, strict or not, and types a typed-array column as that array", () => {
    const idiom = 'import * as aq from "arquero";\nconst feat = aq.table({ c: [1, 2, 3] });\nconst total = feat.array("c").reduce((s, v) => s + v, 0);\nconst doubled = feat.array("c").map((v) => v * 2);';
    const typed = 'const f64 = feat.array("c", Float64Array);\nconst asString: string = f64;';
    s.setCells(cells(idiom, typed));
    const loose = s.diagnostics();
    assert.deepEqual(loose.get("c0"), [], "no TS2349 (a union of array types is not callable) and no TS2345");
    assert.deepEqual(loose.get("c1")!.map((d) => d.message.split("\n")[0]), ["Type 'Float64Array<ArrayBuffer>' is not assignable to type 'string'."]);
    const strict = new NotebookLanguageService(ts, join(dir, "strict", "nested"));
    strict.setCells(cells(idiom));
    assert.deepEqual(strict.diagnostics().get("c0"), [], "the callbacks' parameters are typed from the array, so noImplicitAny has nothing to say");
  });

  it("types @tensorflow/tfjs-node as the kernel runs it when it is not installed: TensorFlow.js's API", () => {
    const code = 'import * as tf from "@tensorflow/tfjs-node";\nconst model = tf.sequential();\nmodel.add(tf.layers.dense({ inputShape: [2], units: 3 }));\nconst wrong: string = model.countParams();';
    s.setCells(cells(code));
    assert.deepEqual(
      s.diagnostics().get("c0")!.map((d) => d.message),
      ["Type 'number' is not assignable to type 'string'."],
      "no TS2307 (cannot find module), and the model's types are real",
    );
    const c = at('import * as tf from "@tensorflow/tfjs-node";\ntf.lay|');
    s.setCells(cells(c.text));
    assert.ok(labels("c0", c.offset).includes("layers"));
  });

  it("answers after a run of small edits as a service that parsed the text afresh does", () => {
    const edits = ["const rows = [1, 2, 3];\nrows.ma", "const rowz = [1, 2, 3, 4];\nrows.ma", "const rows = [1, 2];\nrows.fil", "const rows = 1;\nrows.fil"];
    const incremental = new NotebookLanguageService(ts, dir);
    const offered: string[][] = [];
    for (const text of edits) {
      incremental.setCells(cells("%%stage a\nconst base = 10;", text));
      const fresh = new NotebookLanguageService(ts, dir);
      fresh.setCells(cells("%%stage a\nconst base = 10;", text));
      const names = (x: NotebookLanguageService) => x.completions("c1", text.length).items.map((i) => i.label).sort();
      offered.push(names(incremental));
      assert.deepEqual(offered.at(-1), names(fresh), text);
      assert.deepEqual(incremental.diagnostics().get("c1"), fresh.diagnostics().get("c1"), text);
    }
    assert.ok(offered[0].includes("map") && offered.at(-1)!.includes("toFixed") && !offered.at(-1)!.includes("map"), "an array's members, then a number's");
  });
});
