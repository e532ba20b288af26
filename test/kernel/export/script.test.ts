// Tests of the pure export: notebook -> pipeline script text, and the errors that name the stage and the name.
import assert from "node:assert/strict";
import { test } from "node:test";
import { exportScript, ExportError, planExport } from "../../../kernel/export/index.js";
import type { Notebook } from "../../../kernel/notebook/format.js";

const notebook = (...sources: string[]): Notebook => ({
  metadata: {},
  cells: sources.map((source) => ({ kind: "code" as const, language: "typescript", source, outputs: [], executionCount: null, metadata: {} })),
});
const options = { notebook: "demo.mlnb", version: "0.1.0", scriptName: "demo.pipeline.ts" };

const demo = notebook(
  "%%params\nconst epochs = 3;\nconst name = \"x\";",
  "%%stage train --needs ingest --gate \"acc>=0.5\"\nimport { log } from \"mlnb\";\nimport * as aq from \"arquero\";\n%stages\nconst acc = rows.length / epochs;\nlog.metric(\"acc\", acc);",
  "%%stage ingest\n%seed 5\nimport * as aq from \"arquero\";\nconst rows = [1, 2, 3];\nconst note = `a\nb`;",
);

test("writes one async function per stage in topological order with inputs and params as arguments", () => {
  const { text, plan } = exportScript(demo, options);
  assert.deepEqual(plan.stages.map((s) => s.name), ["ingest", "train"]);
  assert.ok(text.indexOf("async function stage_ingest(_: StageArgs)") < text.indexOf("async function stage_train({ rows, epochs }: StageArgs)"));
  assert.match(text, /return \{ note, rows \};/);
  assert.match(text, /return \{ acc \};/);
});

test("keeps the cell's last expression as a statement, marked as the notebook's shown result", () => {
  const { text } = exportScript(notebook("%%stage a\nconst x = [1];\nx.length"), options);
  assert.match(text, /  x\.length; \/\/ the cell's result in the notebook\n  return \{ x \};/);
});

test("hoists imports once to the top of the script", () => {
  const { text } = exportScript(demo, options);
  assert.equal(text.match(/import \* as aq from "arquero";/g)?.length, 1);
  assert.match(text, /^import \{ log \} from "mlnb";$/m);
  assert.ok(text.indexOf('from "arquero"') < text.indexOf("async function"));
});

test("puts the header, the params with their defaults, the pipeline table and main in the script", () => {
  const { text } = exportScript(demo, options);
  assert.match(text.split("\n")[0]!, /exported from demo\.mlnb by mlnb 0\.1\.0/);
  assert.match(text, /npx mlnb script demo\.pipeline\.ts/);
  assert.match(text, /export const params = \{\n  epochs: 3,\n  name: "x",\n\};/);
  assert.match(text, /gates: \["acc>=0\.5"\]/);
  assert.match(text, /needs: \["ingest"\]/);
  assert.match(text, /export async function main\(argv: string\[\] = process\.argv\.slice\(2\)\)/);
});

test("turns magics into code or comments and never leaves a magic line", () => {
  const { text } = exportScript(demo, options);
  assert.doesNotMatch(text, /^\s*%/m);
  assert.match(text, /\/\/ %stages: a notebook view/);
  const { plan } = exportScript(demo, options);
  assert.equal(plan.stages.find((s) => s.name === "ingest")!.seed, 5);
  // %seed applies from its cell on, in notebook order, as the kernel runs cells: train's cell comes first.
  assert.equal(plan.stages.find((s) => s.name === "train")!.seed, 0);
  const timed = exportScript(notebook("%%stage a\n%time const x = 1 + 1"), options).text;
  assert.match(timed, /console\.time\("%time \(cell line 2\)"\);\s+const x = 1 \+ 1; console\.timeEnd/);
});

test("does not indent the lines inside a multi-line template literal", () => {
  const { text } = exportScript(demo, options);
  assert.match(text, /  const note = `a\nb`;/);
});

test("is a pure function: the same notebook gives the same text", () => {
  assert.equal(exportScript(demo, options).text, exportScript(demo, options).text);
});

test("tracks variables but not functions, and passes functions on to the stages that call them", () => {
  const { plan, text } = exportScript(notebook("%%stage a\nconst n = 2;\nfunction f(x: number) { return x * n; }", "%%stage b\nconst y = f(3);"), options);
  assert.deepEqual(plan.stages[0]!.tracked, ["n"]);
  assert.deepEqual(plan.stages[0]!.outputs, ["f", "n"]);
  assert.match(text, /async function stage_b\(\{ f \}: StageArgs\)/);
});

test("refuses a stage reading a non-stage cell's variable, naming the stage and the name", () => {
  assert.throws(() => planExport(notebook("const k = 3;", "%%stage a\nconst y = k + 1;")), (e: unknown) => {
    assert.ok(e instanceof ExportError);
    assert.match(e.message, /stage "a" reads "k", which only a non-stage cell \(cell 1\) defines/);
    return true;
  });
});

test("hoists an import from a non-stage cell that a stage uses", () => {
  const { text } = exportScript(notebook('import * as aq from "arquero";', "%%stage a\nconst t = aq.table({ x: [1] });"), options);
  assert.match(text, /^import \* as aq from "arquero";$/m);
});

test("refuses a cycle, naming the stages", () => {
  assert.throws(() => planExport(notebook("%%stage a\nconst x = y + 1;", "%%stage b\nconst y = x + 1;")), /stages form a cycle: a -> b -> a|stages form a cycle: b -> a -> b/);
});

test("refuses a stage assigning to another stage's variable", () => {
  assert.throws(() => planExport(notebook("%%stage a\nlet x = 1;", "%%stage b\nx = 2;\nconst z = 1;")), /stage "b" assigns to "x", which stage "a" defines/);
});

test("refuses one name imported as two different things", () => {
  assert.throws(() => planExport(notebook('%%stage a\nimport { read } from "mlnb";\nconst x = 1;', '%%stage b\nimport read from "./other.js";\nconst y = 1;')), /imports "read" as default from "\.\/other\.js", but stage "a" \(cell 1\) imports it as read from "mlnb"/);
});

test("refuses a notebook without stages", () => {
  assert.throws(() => planExport(notebook("const x = 1;")), /no %%stage cells/);
});

test("reports a bad magic with its cell, line and column", () => {
  assert.throws(() => planExport(notebook("%%stage a\n%sed 3\nconst x = 1;")), /cell 1:2:1: error: unknown magic %sed; did you mean %seed\?/);
});

test("imports display from mlnb when a stage uses the display global", () => {
  const { text } = exportScript(notebook('%%stage a\nconst x = 1;\ndisplay.text("hi");'), options);
  assert.match(text, /^import \{ display \} from "mlnb";$/m);
  const merged = exportScript(notebook('%%stage a\nimport { log } from "mlnb";\ndisplay.text("hi");\nconst y = 1;'), options).text;
  assert.match(merged, /^import \{ display, log \} from "mlnb";$/m);
});
