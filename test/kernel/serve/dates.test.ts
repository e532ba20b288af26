// Tests for a served pipeline that starts from a raw date: JSON and CSV bodies, date errors, the OpenAPI field, drift without the date.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ColumnTable } from "arquero";
import { deploy, features, prep, read, train } from "../../../kernel/ml/index.js";
import { createServer, type ModelServer } from "../../../kernel/serve/index.js";

const CSV = "node_modules/vega-datasets/data/seattle-weather.csv";
const work = mkdtempSync(path.join(tmpdir(), "mlnb-serve-dates-"));
let srv: ModelServer, served: deploy.Predictor, url = "";

before(async () => {
  const days = (await read.csv(CSV)) as ColumnTable;
  const inputs = ["precipitation", "temp_max", "wind", "month_sin", "temp_range"];
  const pipe = prep.pipeline([
    features.datePart("date", { parts: ["month"] }),
    features.derive({ month_sin: "op.sin(6.283185307179586 * d.date_month / 12)", temp_range: (d: any) => d.temp_max - d.temp_min }),
    prep.standardScaler({ columns: inputs }),
  ]);
  const model = await train.logisticRegression(pipe.fitTransform(days), { target: "weather", features: inputs, epochs: 3, seed: 5, progress: false });
  await deploy.bundle(path.join(work, "b"), { preprocess: pipe, model, reference: days });
  model.dispose();
  served = await deploy.load(path.join(work, "b"));
  srv = createServer(served, { maxBodyBytes: 4 << 20 });
  url = (await srv.listen(0)).url;
});
after(async () => {
  await srv?.close();
  served?.dispose();
  rmSync(work, { recursive: true, force: true });
});

const post = (body: string, type = "application/json", route = "/predict") => fetch(`${url}${route}`, { method: "POST", headers: { "content-type": type }, body });

test("raw rows with the date as an ISO string get the same predictions as JSON and as a CSV body", async () => {
  const text = readFileSync(CSV, "utf8");
  const lines = text.trim().split("\n").slice(0, 41);
  const header = lines[0].split(",");
  const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(",").map((v, j) => [header[j], j === 0 || header[j] === "weather" ? v : Number(v)])));
  const json = await post(JSON.stringify(rows));
  assert.equal(json.status, 200);
  const csv = await post(lines.join("\n"), "text/csv", "/invocations");
  assert.equal(csv.status, 200);
  const a = (await json.json()) as { predictions: string[]; probabilities: number[][] }, b = (await csv.json()) as typeof a;
  assert.equal(a.predictions.length, 40);
  assert.deepEqual(b, a);
  // and what the pipeline computes in memory on the table read.csv gives (dates as Date objects)
  const table = ((await read.csv(CSV)) as ColumnTable).slice(0, 40) as ColumnTable;
  assert.deepEqual(served.predict(table.objects() as Record<string, unknown>[]).probabilities, a.probabilities);
});

test("a date that is not a day is a 422 naming the row and field", async () => {
  const row = { date: "2012-13-01", precipitation: 0, temp_max: 10, temp_min: 2, wind: 3 };
  const res = await post(JSON.stringify([{ ...row, date: "2012-01-02" }, row, { ...row, date: 20120101 }]));
  assert.equal(res.status, 422);
  const body = (await res.json()) as { errors: { row: number; field: string; message: string }[]; total: number };
  assert.equal(body.total, 2);
  assert.deepEqual(body.errors.map((e) => `${e.row} ${e.field}: ${e.message}`), [
    '1 date: must be an ISO 8601 date such as "2012-01-01", got "2012-13-01"',
    '2 date: must be an ISO 8601 date such as "2012-01-01", got 20120101',
  ]);
});

test("the OpenAPI document gives the date as a string and /drift compares every input but the date", async () => {
  const doc = (await (await fetch(`${url}/openapi.json`)).json()) as { components: { schemas: { Row: { properties: Record<string, { type: string; description?: string }> } } } };
  assert.deepEqual(doc.components.schemas.Row.properties.date, { type: "string", description: 'ISO 8601 date or date-time ("2012-01-01")' });
  const rows = ((await read.csv(CSV)) as ColumnTable).slice(0, 60).objects() as Record<string, unknown>[];
  assert.equal((await post(JSON.stringify(rows.map((r) => ({ ...r, date: (r.date as Date).toISOString() }))))).status, 200);
  const drift = (await (await fetch(`${url}/drift`)).json()) as { windowRows: number; report: { columns: { column: string }[] } };
  assert.equal(drift.windowRows, 40 + 40 + 60); // the first test's JSON and CSV rows, and these
  assert.deepEqual(drift.report.columns.map((c) => c.column).sort(), ["precipitation", "temp_max", "temp_min", "wind"]);
});
