import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as aq from "arquero";
import { mulberry32 } from "../../../../kernel/ml/context.js";
import { charts, report, toHTML, toText } from "../../../../kernel/ml/drift/index.js";
import { close, fixtures, generate, ROOT } from "./fixtures.js";

type Row = Record<string, unknown>;
const penguins: Row[] = JSON.parse(readFileSync(`${ROOT}node_modules/vega-datasets/data/penguins.json`, "utf8"));
const COLUMNS = ["Island", "Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)", "Sex"];

function table(rows: Row[]) {
  return aq.from(rows).select(COLUMNS);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function check(got: ReturnType<typeof report>, want: any): void {
  assert.equal(got.columns.length, want.columns.length);
  for (const [i, w] of want.columns.entries()) {
    const g = got.columns[i];
    assert.equal(g.column, w.column);
    assert.equal(g.test, w.test, `${w.column}: test`);
    close(g.statistic, w.statistic, `${w.column} statistic`);
    if (w.pValue !== undefined) close(g.pValue as number, w.pValue, `${w.column} p-value`);
    assert.equal(g.drifted, w.drifted, `${w.column}: drifted`);
  }
  assert.equal(got.nDrifted, want.nDrifted);
  assert.equal(got.datasetDrift, want.datasetDrift);
}

test("two random halves of the penguins do not drift, with SciPy's statistics per column", () => {
  const coin = mulberry32(7);
  const heads = penguins.map(() => coin() < 0.5);
  const r = report(table(penguins.filter((_, i) => heads[i])), table(penguins.filter((_, i) => !heads[i])));
  check(r, fixtures.reports[0]);
  assert.equal(r.datasetDrift, false);
});

test("Gentoo penguins drift from Adelie penguins in every column", () => {
  const r = report(table(penguins.filter((p) => p.Species === "Adelie")), table(penguins.filter((p) => p.Species === "Gentoo")));
  check(r, fixtures.reports[1]);
  assert.equal(r.datasetDrift, true);
  assert.equal(r.share, 1);
});

test("above 1,000 reference rows numeric columns use normalised Wasserstein, few-valued ones Jensen-Shannon", () => {
  const want = fixtures.reports[2];
  const cols = (spec: Record<string, never>) => Object.fromEntries(Object.entries(spec).map(([k, s]) => [k, generate(s)]));
  const r = report(aq.table(cols(want.reference)), aq.table(cols(want.current)));
  check(r, want);
  assert.deepEqual(r.columns.map((c) => c.test), ["wasserstein", "jensenshannon", "wasserstein"]);
});

test("the report renders as text, an HTML table and one vega-lite chart per column", () => {
  const r = report({ a: [1, 2, 3, 4, 5, 6, 7], c: ["x", "y", "x", "z", "x", "y", "z"] }, { a: [5, 6, 7, 8, 9, 10, 11], c: ["x", "y", "x", "z", "y", "y", "z"] });
  const text = toText(r);
  assert.match(text, /^reference rows: 7, current rows: 7/);
  assert.match(text, /a\s+num\s+ks/);
  const html = toHTML(r);
  assert.equal((html.match(/<tr/g) ?? []).length, 3);
  const specs = charts(r);
  assert.equal(specs.length, 2);
  const values = (specs[1].data as { values: { bin: string; dataset: string; share: number }[] }).values;
  assert.deepEqual(values.find((v) => v.bin === "x" && v.dataset === "reference")?.share, 3 / 7);
});

test("a column missing from the current data is named in the error", () => {
  assert.throws(() => report({ a: [1, 2] }, { b: [1, 2] }, { columns: ["a"] }), /column "a" is not in the current data/);
});

test("date columns are left out unless named, as in Evidently", () => {
  const days = (n: number) => Array.from({ length: n }, (_, i) => new Date(Date.UTC(2020, 0, i + 1)));
  const r = report({ day: days(8), a: [1, 2, 3, 4, 5, 6, 7, 8] }, { day: days(8), a: [1, 2, 3, 4, 5, 6, 7, 9] });
  assert.deepEqual(r.columns.map((c) => c.column), ["a"]);
});

test("a report shows itself as its HTML table in a notebook cell", async () => {
  const { richBundle } = await import("../../../../kernel/ml/display.js");
  const r = report({ a: [1, 2, 3, 4, 5, 6] }, { a: [1, 2, 3, 4, 5, 7] });
  const bundle = await richBundle(r);
  assert.equal(bundle["text/html"], toHTML(r));
  assert.match(String(bundle["text/plain"]), /No dataset drift/);
  assert.ok(!JSON.stringify(r).includes("mimeBundle"));
});

test("every column chart is a vega-lite spec that compiles", async () => {
  const vl = await import("vega-lite");
  const r = report({ a: [1, 2, 3, 4, 5, 6, 7], c: ["x", "y", "x", "z", "x", "y", "z"] }, { a: [5, 6, 7, 8, 9, 10, 11], c: ["x", "y", "x", "z", "y", "y", "z"] });
  for (const spec of charts(r)) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const out = vl.compile(spec as any);
    assert.equal((out.spec.marks as unknown[]).length > 0, true);
  }
});
