// Tests for row-wise feature steps as transformers: equal to the verbs bit for bit, saved as JSON, served from a bundle on raw rows.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as aq from "arquero";
import { deploy, features, prep, read, train } from "../../../../kernel/ml/index.js";

const made: string[] = [];
after(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));
const weather = read.csv("node_modules/vega-datasets/data/seattle-weather.csv");
const season = () => ({
  season_sin: "op.sin($.tau * d.date_dayOfYear / 365.25)",
  season_cos: (d: any, $: any) => op.cos(($.tau * d.date_dayOfYear) / 365.25),
  temp_range: "d.temp_max - d.temp_min",
});
declare const op: { cos(x: number): number };

/** Every column of a table as arrays of numbers' bit patterns (NaN-safe equality of floats). */
function bits(t: aq.ColumnTable): Record<string, unknown[]> {
  return Object.fromEntries(t.columnNames().map((c) => [c, Array.from(t.array(c) as ArrayLike<unknown>, (v) => (typeof v === "number" ? Buffer.from(new Float64Array([v]).buffer).toString("hex") : v instanceof Date ? v.toISOString() : v))]));
}

test("each row-wise step in a pipeline computes exactly what its verb computes, also after a JSON round trip", async () => {
  const days = await weather;
  const fit = days.slice(0, 1000) as aq.ColumnTable, held = days.slice(1000) as aq.ColumnTable;
  const steps = prep.pipeline([
    features.datePart("date", { parts: ["dayOfYear", "month", "weekday"] }),
    features.derive(season(), { tau: 2 * Math.PI }),
    features.interactions(["temp_max", "wind", "precipitation"]),
    features.polynomial(["temp_min", "temp_range"]),
    features.bin({ columns: ["wind"], bins: 4, strategy: "quantile", suffix: "_bin" }),
  ]).fit(fit);
  const byVerbs = (t: aq.ColumnTable) => {
    let x = features.datePart(t, "date", { parts: ["dayOfYear", "month", "weekday"] });
    x = features.derive(x, season(), { tau: 2 * Math.PI });
    x = features.interactions(x, ["temp_max", "wind", "precipitation"]);
    return features.polynomial(x, ["temp_min", "temp_range"]);
  };
  const binned = features.bin({ columns: ["wind"], bins: 4, strategy: "quantile", suffix: "_bin" }).fit(byVerbs(fit));
  const want = bits(binned.transform(byVerbs(held)));
  assert.deepEqual(bits(steps.transform(held)), want);
  const saved = JSON.parse(JSON.stringify(steps.toJSON()));
  assert.deepEqual(saved.state.steps.map((s: { type: string }) => s.type), ["DatePart", "Derive", "Interactions", "Polynomial", "BinDiscretizer"]);
  assert.match(saved.state.steps[1].options.values.season_cos, /\$\.tau \* d\.date_dayOfYear/);
  assert.deepEqual(bits(prep.fromJSON(saved).transform(held)), want);
  assert.ok(want["temp_max_x_wind"] && want["temp_min temp_range"] && want["wind_bin"] && want["season_cos"], "the steps added their columns");
});

test("a stateless step transforms without a fit, and fit names a missing column", () => {
  const t = aq.table({ when: [new Date("2024-03-02T13:00:00Z")], a: [2], b: [3] });
  assert.deepEqual(Array.from(features.datePart("when", { parts: ["weekday"] }).transform(t).array("when_weekday") as number[]), [5]);
  assert.deepEqual(Array.from(features.derive({ s: "d.a + d.b" }).transform(t).array("s") as number[]), [5]);
  assert.throws(() => features.interactions(["a", "zz"]).fit(t), /Interactions\.fit: no column "zz" \(columns: when, a, b\)/);
});

test("a derive step refuses what a bundle cannot carry or arquero would not run, naming the column", () => {
  assert.throws(() => features.derive({ x: aq.escape((d: any) => d.a) as never }), /column "x": an expression must be a string or an arrow function/);
  assert.throws(() => features.derive({ x: "process.exit(1)" }), /features\.derive: column "x": Invalid function call: "process\.exit\(1\)"/);
  assert.throws(() => features.derive({ y: "d.a * $.k" }), /column "y": Invalid param reference: "\$\.k"/);
  assert.throws(() => features.derive({ y: "d.a * $.k" }, { k: Number.NaN }), /DeriveStep options\.params\.k: NaN cannot be saved in a bundle/);
  const planted = { type: "Derive", options: { values: { x: "globalThis.process.exit(1)" } }, state: null };
  assert.throws(() => prep.fromJSON(planted), /column "x": Invalid (variable reference|function call)/);
});

test("a bundle whose pipeline holds the date steps predicts raw rows with ISO date strings as the notebook's pipeline does", async () => {
  const days = await weather;
  const rows = days.slice(0, 600) as aq.ColumnTable;
  const pipe = prep.pipeline([
    prep.simpleImputer({ strategy: "mean", columns: ["precipitation", "temp_max", "temp_min", "wind"] }),
    features.datePart("date", { parts: ["dayOfYear"] }),
    features.derive(season(), { tau: 2 * Math.PI }),
    prep.standardScaler({ columns: ["precipitation", "temp_max", "temp_min", "wind", "season_sin", "season_cos", "temp_range"] }),
  ]);
  const x = pipe.fitTransform(rows);
  const model = await train.logisticRegression(x, { target: "weather", features: ["precipitation", "temp_max", "temp_min", "wind", "season_sin", "season_cos", "temp_range"], epochs: 5, seed: 3, progress: false });
  const dir = path.join(mkdtempSync(path.join(tmpdir(), "mlnb-steps-")), "weather");
  made.push(path.dirname(dir));
  await deploy.bundle(dir, { preprocess: pipe, model, reference: rows.select("date", "precipitation", "temp_max", "temp_min", "wind", "weather") });
  const served = await deploy.load(dir);
  try {
    assert.deepEqual(served.schema.fields.map((f) => `${f.name}:${f.type}`), ["date:date", "precipitation:number", "temp_max:number", "temp_min:number", "wind:number"]);
    assert.deepEqual(served.reference.summary.date, { count: 600, missing: 0 });
    assert.equal(served.reference.columns.date[0], "2012-01-01T00:00:00.000Z");
    const raw = (rows.objects() as Record<string, unknown>[]).map((r) => ({ ...r, date: (r.date as Date).toISOString().slice(0, 10) }));
    const got = served.predict(raw);
    assert.deepEqual(got.predictions, model.predict(x));
    assert.deepEqual(got.probabilities, model.predictProba(x));
    const bad = deploy.checkRows([{ ...raw[0], date: "yesterday" }, { ...raw[1], date: 20120102 }], served.schema, ["weather"]);
    assert.deepEqual(bad.errors.map((e) => `${e.row} ${e.field}: ${e.message}`), [
      '0 date: must be an ISO 8601 date such as "2012-01-01", got "yesterday"',
      '1 date: must be an ISO 8601 date such as "2012-01-01", got 20120102',
    ]);
  } finally {
    served.dispose();
  }
  // the saved preprocessing is plain JSON text: the derive expressions are strings
  const saved = readFileSync(path.join(dir, "preprocess.json"), "utf8");
  assert.match(saved, /"season_sin": "op\.sin\(\$\.tau \* d\.date_dayOfYear \/ 365\.25\)"/);
  writeFileSync(path.join(dir, "preprocess.json"), saved.replace("d.temp_max - d.temp_min", "require('fs')"));
  await assert.rejects(deploy.load(dir), /column "temp_range": Invalid function call: "require\('fs'\)"/);
});
