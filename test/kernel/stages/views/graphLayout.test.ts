// Tests of the stage graph layout: layers, node states and details, marked cycles and untracked reads.
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildGraph, type CellInput } from "../../../../kernel/stages/graph.js";
import { graphStructure, layoutGraph } from "../../../../kernel/stages/views/graphLayout.js";
import { renderLayoutSvg } from "../../../../kernel/stages/views/graphSvg.js";

const stage = (name: string, code: string): CellInput => ({ id: `cell-${name}`, code, stage: { name } });

test("lays stages out top to bottom in layers by their longest path from a root, in notebook order", () => {
  const g = graphStructure(buildGraph([stage("ingest", "const raw = 1;"), stage("split", "const tr = raw;"), stage("clean", "const c = tr;"), stage("eda", "const e = raw;"), stage("train", "const m = c + e;")]));
  const layout = layoutGraph(g, { ingest: { state: "cached", durationMs: 340, cached: true }, train: { state: "fresh", durationMs: 4100, metrics: { accuracy: 0.98512, f1: 0.97, loss: 0.1, extra: 1 } } });
  assert.deepEqual(layout.nodes.map((n) => [n.name, n.x, n.y]), [["ingest", 16, 16], ["split", 16, 118], ["clean", 16, 220], ["eda", 216, 118], ["train", 16, 322]]);
  assert.deepEqual(layout.nodes.map((n) => n.state), ["cached", "not run", "not run", "not run", "fresh"]);
  assert.deepEqual(layout.nodes[4]!.metrics, ["accuracy=0.985", "f1=0.97", "loss=0.1"]);
  assert.equal(layout.nodes[0]!.cellId, "cell-ingest");
  assert.deepEqual(layout.edges.map((e) => `${e.from}->${e.to}:${e.names.join(",")}`), ["ingest->split:raw", "split->clean:tr", "ingest->eda:raw", "clean->train:c", "eda->train:e"]);
  assert.equal(layout.width, 16 * 2 + 2 * 200 - 30);
  assert.equal(layout.height, 16 * 2 + 4 * 102 - 36);
  const svg = renderLayoutSvg(layout);
  assert.match(svg, /data-stage="train" data-state="fresh" data-cell="cell-train"/);
  assert.match(svg, />fresh · 4.1 s</);
  assert.match(svg, />cached · 340 ms</);
});

test("marks a cycle's edges and stages, and a stage reading a plain cell's variable", () => {
  const cells: CellInput[] = [{ id: "plain", code: "const threshold = 3;" }, stage("a", "const x = y + threshold;"), stage("b", "const y = x;")];
  const layout = layoutGraph(graphStructure(buildGraph(cells)));
  assert.deepEqual(layout.edges.map((e) => [e.from, e.to, e.problem]), [["b", "a", "in a cycle: a -> b -> a"], ["a", "b", "in a cycle: a -> b -> a"]]);
  assert.deepEqual(layout.nodes.map((n) => n.problem?.severity), ["error", "error"]);
  assert.ok(layout.messages.some((m) => m.severity === "warning" && /stage "a" reads "threshold", which only a non-stage cell/.test(m.message)));
  assert.ok(layout.messages.some((m) => m.severity === "error" && m.message === "stages form a cycle: a -> b -> a"));
});

test("marks a stage that reads a plain cell's variable with the warning", () => {
  const layout = layoutGraph(graphStructure(buildGraph([{ id: "plain", code: "const threshold = 3;" }, stage("gate", "const ok = threshold > 1;")])));
  assert.equal(layout.nodes[0]!.problem?.severity, "warning");
  assert.match(layout.nodes[0]!.problem!.message, /reads "threshold"/);
  assert.match(renderLayoutSvg(layout), /stroke="#f0b400"/);
});

test("marks both stages that define one name", () => {
  const layout = layoutGraph(graphStructure(buildGraph([stage("a", "const x = 1;"), stage("b", "const x = 2;")])));
  assert.deepEqual(layout.nodes.map((n) => n.problem?.message), ['"x" is defined by two stages: "a" and "b"; a name must have one defining stage', '"x" is defined by two stages: "a" and "b"; a name must have one defining stage']);
});
