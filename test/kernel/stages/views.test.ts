// Tests of the %stages table, %graph SVG and %who views.
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildGraph, type CellInput } from "../../../kernel/stages/graph.js";
import { renderGraphSvg, STATE_COLORS } from "../../../kernel/stages/views/graphSvg.js";
import { formatDuration, renderStagesTable } from "../../../kernel/stages/views/stagesTable.js";
import { renderWho } from "../../../kernel/stages/views/who.js";

const stage = (name: string, code: string): CellInput => ({ id: name, code, stage: { name } });
const graph = buildGraph([stage("ingest", "const raw = [1];"), stage("clean", "const c = raw;\nconst bad = () => 1;"), stage("train", "const m = c;"), stage("<odd>", "const z = 1;")]);

test("lists stages with status, cached, duration, outputs and metrics", () => {
  const table = renderStagesTable(graph, new Map([
    ["ingest", { state: "cached" as const, cached: true, durationMs: 12, outputs: [{ name: "raw", kind: "json", shape: "array[1]" }] }],
    ["clean", { state: "fresh" as const, durationMs: 12_345, outputs: [{ name: "c", kind: "table", shape: "344×7" }, { name: "bad", kind: "opaque", shape: "function", reason: "value is a function bad" }], metrics: { rows: 344, ratio: 0.123456 } }],
    ["train", { state: "stale" as const }],
  ]));
  assert.equal(table["text/plain"], [
    "stage   status   cached  duration  outputs                                                metrics",
    "------  -------  ------  --------  -----------------------------------------------------  ---------------------",
    "ingest  cached   yes     12 ms     raw: json array[1]",
    "clean   fresh    no      12.3 s    c: table 344×7; bad: opaque (value is a function bad)  rows=344 ratio=0.1235",
    "train   stale    no",
    "<odd>   not run",
  ].join("\n"));
  assert.match(table["text/html"]!, /<td>&lt;odd&gt;<\/td>/);
  assert.match(table["text/html"]!, /<td class="mlnb-stale">stale<\/td>/);
});

test("draws every stage coloured by its state with an arrow per dependency", () => {
  const svg = renderGraphSvg(graph, new Map([["ingest", "fresh"], ["clean", "failed"]]));
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assert.deepEqual([...svg.matchAll(/data-stage="([^"]+)" data-state="([^"]+)"/g)].map((m) => [m[1], m[2]]), [["ingest", "fresh"], ["clean", "failed"], ["train", "not run"], ["&lt;odd&gt;", "not run"]]);
  assert.ok(svg.includes(`fill="${STATE_COLORS.failed}"`));
  assert.deepEqual([...svg.matchAll(/<title>([^<]+ -&gt; [^<]+)<\/title>/g)].map((m) => m[1]), ["ingest -&gt; clean: raw", "clean -&gt; train: c"]);
});

test("outlines stages that cannot run in dashed red", () => {
  const cyclic = buildGraph([stage("a", "const x = y;"), stage("b", "const y = x;")]);
  const svg = renderGraphSvg(cyclic);
  assert.equal((svg.match(/<rect [^>]*stroke-dasharray/g) ?? []).length, 2);
  assert.equal((svg.match(/class="mlnb-edge mlnb-problem"/g) ?? []).length, 2);
  assert.match(svg, /<title>a: error: in a cycle: a -&gt; b -&gt; a<\/title>/);
});

test("lists variables by stage then name", () => {
  const who = renderWho([{ name: "z", type: "number" }, { name: "m", stage: "train", type: "model 2 layers" }, { name: "c", stage: "clean", type: "table 3×2" }]);
  assert.equal(who["text/plain"], "name  stage          type\n----  -------------  --------------\nc     clean          table 3×2\nm     train          model 2 layers\nz     (not a stage)  number");
});

test("formats durations for people", () => {
  assert.deepEqual([formatDuration(850), formatDuration(12_345), formatDuration(245_000)], ["850 ms", "12.3 s", "4 min 05 s"]);
});
