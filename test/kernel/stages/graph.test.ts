// Tests of the stage graph: edges from defs/refs, duplicate names, cycles, order, staleness.
import assert from "node:assert/strict";
import { describe, it, test } from "node:test";
import { ancestors, buildGraph, cellInput, descendants, withUpstream, type CellInput } from "../../../kernel/stages/graph.js";
import { parseMagics } from "../../../kernel/magics/index.js";
import { markFinished, markStale, staleStages } from "../../../kernel/stages/state.js";

const stage = (name: string, code: string, needs?: string[]): CellInput => ({ id: name, code, stage: { name, ...(needs ? { needs } : {}) } });

const PIPELINE: CellInput[] = [
  { id: "p", code: "const epochs = 5;\nconst target = 'species';", params: true },
  stage("ingest", "const raw = read('penguins.json');"),
  stage("clean", "const clean = raw.filter((d) => d.bill != null);"),
  stage("features", "const X = clean.select(target);\nconst y = clean.array(target);"),
  stage("train", "const model = fit(X, y, { epochs });\nconsole.log(Math.random());"),
  stage("evaluate", "const score = model.evaluate(X, y);"),
  stage("report", "display(score);", ["clean"]),
];

test("links each stage to the stage that defines each name it reads", () => {
  const g = buildGraph(PIPELINE);
  assert.deepEqual(g.diagnostics, []);
  assert.deepEqual(g.stages.get("train")!.inputs, [{ name: "X", stage: "features" }, { name: "y", stage: "features" }]);
  assert.deepEqual(g.stages.get("evaluate")!.parents, ["features", "train"]);
  assert.deepEqual(g.stages.get("train")!.params, ["epochs"]);
  assert.deepEqual(g.stages.get("features")!.params, ["target"]);
  assert.deepEqual(g.stages.get("report")!.parents, ["evaluate", "clean"]);
  assert.deepEqual(g.stages.get("clean")!.defs, ["clean"]);
});

test("orders stages parents first, ties in notebook order", () => {
  const g = buildGraph([stage("b", "const y = x + 1;"), stage("a", "const x = 1;"), stage("c", "const z = 3;")]);
  assert.deepEqual(g.order, ["a", "b", "c"]);
  assert.deepEqual(buildGraph(PIPELINE).order, ["ingest", "clean", "features", "train", "evaluate", "report"]);
});

test("reports both stages when one name is defined twice", () => {
  const g = buildGraph([stage("load", "const df = read();"), stage("reload", "const df = read2();"), stage("use", "df.print();")]);
  const errors = g.diagnostics.filter((d) => d.severity === "error");
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.message, '"df" is defined by two stages: "load" and "reload"; a name must have one defining stage');
  assert.deepEqual(errors[0]!.stages, ["load", "reload"]);
  assert.deepEqual([...g.broken.keys()].sort(), ["load", "reload"]);
  assert.deepEqual(g.stages.get("use")!.parents, ["load", "reload"]);
});

test("reports a cycle naming its stages", () => {
  const g = buildGraph([stage("a", "const x = z + 1;"), stage("b", "const y = x + 1;"), stage("c", "const z = y + 1;"), stage("d", "const w = z;"), stage("e", "const v = 1;")]);
  const cycle = g.diagnostics.find((d) => d.code === "cycle")!;
  assert.equal(cycle.message, "stages form a cycle: a -> b -> c -> a");
  assert.deepEqual(cycle.stages, ["a", "b", "c"]);
  assert.deepEqual(g.order, ["e"]);
  assert.equal(g.broken.get("d"), "downstream of a cycle");
});

test("reports a cycle made by --needs", () => {
  const g = buildGraph([stage("a", "const x = 1;", ["b"]), stage("b", "const y = x;")]);
  assert.equal(g.diagnostics[0]!.message, "stages form a cycle: a -> b -> a");
});

test("warns when a stage reads a name only a non-stage cell defines", () => {
  const g = buildGraph([{ id: "scratch", code: "const helper = (v) => v * 2;" }, stage("s", "const out = helper(Math.PI);")]);
  assert.deepEqual(g.diagnostics.map((d) => [d.severity, d.message]), [["warning", 'stage "s" reads "helper", which only a non-stage cell (cell 1) defines; it is not tracked']]);
});

test("treats globals as inputs only when another cell defines them", () => {
  const g = buildGraph([stage("a", "const Math = { max: () => 0 };"), stage("b", "const m = Math.max(1, 2); console.log(m);")]);
  assert.deepEqual(g.stages.get("b")!.inputs, [{ name: "Math", stage: "a" }]);
  assert.deepEqual(buildGraph([stage("b", "const m = Math.max(1, 2);")]).diagnostics, []);
});

test("links a stage to a class another stage defines even when only used as a type", () => {
  const g = buildGraph([stage("a", "class Scaler {}"), stage("b", "let s: Scaler | undefined;"), stage("c", "interface Row { x: number }"), stage("d", "let r: Row;")]);
  assert.deepEqual(g.stages.get("b")!.parents, ["a"]);
  assert.deepEqual(g.stages.get("d")!.parents, []);
});

test("names an unknown stage in --needs and suggests the closest", () => {
  const g = buildGraph([stage("clean", "const c = 1;"), stage("train", "const m = 2;", ["claen"])]);
  assert.equal(g.diagnostics[0]!.message, 'stage "train" --needs "claen", which is not a stage; did you mean "clean"?');
});

test("reports two cells with the same stage name", () => {
  const g = buildGraph([stage("a", "const x = 1;"), stage("a", "const y = 1;")]);
  assert.equal(g.diagnostics[0]!.message, 'two cells are named stage "a" (the second is cell 2)');
});

test("lists descendants and ancestors in run order", () => {
  const g = buildGraph(PIPELINE);
  assert.deepEqual(descendants(g, ["features"]), ["train", "evaluate", "report"]);
  assert.deepEqual(ancestors(g, ["evaluate"]), ["ingest", "clean", "features", "train"]);
  assert.deepEqual(withUpstream(g, "train"), ["ingest", "clean", "features", "train"]);
});

test("marks every descendant stale when a stage changes", () => {
  const g = buildGraph(PIPELINE);
  const fresh = new Map(g.order.map((s) => [s, "fresh" as const]));
  const after = markStale(g, ["clean"], fresh);
  assert.deepEqual(g.order.map((s) => after.get(s)), ["fresh", "stale", "stale", "stale", "stale", "stale"]);
  assert.equal(fresh.get("clean"), "fresh", "the input map is not modified");
  assert.deepEqual(staleStages(g, after), ["clean", "features", "train", "evaluate", "report"]);
});

test("marks dependents of a failed stage stale without throwing", () => {
  const g = buildGraph(PIPELINE);
  const fresh = new Map(g.order.map((s) => [s, "fresh" as const]));
  const after = markFinished(g, "train", { status: "failed" }, fresh);
  assert.deepEqual(g.order.map((s) => after.get(s)), ["fresh", "fresh", "fresh", "failed", "stale", "stale"]);
  const rerun = markFinished(g, "features", { status: "ok", outputsChanged: false }, after);
  assert.equal(rerun.get("train"), "failed");
  const changed = markFinished(g, "features", { status: "cached", outputsChanged: true }, fresh);
  assert.deepEqual(g.order.map((s) => changed.get(s)), ["fresh", "fresh", "cached", "stale", "stale", "stale"]);
});

test("counts never-run stages as needing a run", () => {
  const g = buildGraph(PIPELINE);
  assert.deepEqual(staleStages(g, new Map([["ingest", "fresh"], ["clean", "cached"]])), ["features", "train", "evaluate", "report"]);
});

test("builds the graph from cells whose magics were parsed", () => {
  const sources = ["%%params\nconst k = 3;", "%%stage load\nconst rows = [1, 2];", "%%stage top --needs load\n%seed 1\nconst best = rows.slice(0, k);", "console.log(best);"];
  const cells = sources.map((s, i) => {
    const parsed = parseMagics(s);
    assert.ok(parsed.ok);
    return cellInput(`c${i}`, parsed);
  });
  assert.deepEqual(cells.map((c) => [c.stage?.name, c.params ?? false]), [[undefined, true], ["load", false], ["top", false], [undefined, false]]);
  const g = buildGraph(cells);
  assert.deepEqual(g.diagnostics, []);
  assert.deepEqual(g.stages.get("top")!.params, ["k"]);
  assert.deepEqual(g.stages.get("top")!.inputs, [{ name: "rows", stage: "load" }]);
});

describe("imports in stages", () => {
  it("does not count two stages importing the same name as a duplicate definition", () => {
    const g = buildGraph([
      { id: "1", code: 'import { log } from "mlnb";\nconst a = 1;', stage: { name: "a" } },
      { id: "2", code: 'import { log } from "mlnb";\nconst b = a + 1;', stage: { name: "b" } },
    ]);
    assert.deepEqual(g.diagnostics.filter((d) => d.severity === "error").map((d) => d.message), []);
    assert.deepEqual(g.stages.get("b")!.inputs, [{ name: "a", stage: "a" }]);
  });

  it("makes no input of a name another stage imports", () => {
    const g = buildGraph([
      { id: "1", code: 'import { split } from "mlnb";\nconst t = 1;', stage: { name: "ingest" } },
      { id: "2", code: "const parts = split.trainTestSplit(t);", stage: { name: "split" } },
    ]);
    assert.deepEqual(g.stages.get("split")!.inputs, [{ name: "t", stage: "ingest" }]);
    assert.deepEqual(g.diagnostics, []);
  });
});
