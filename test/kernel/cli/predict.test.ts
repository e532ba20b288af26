// Tests for `mlnb predict`: real data files scored in batches give the server's predictions; bad rows are named and nothing is written.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ColumnTable } from "arquero";
import { deploy, features, prep, read, train } from "../../../kernel/ml/index.js";
import { createServer } from "../../../kernel/serve/index.js";
import { penguinBundle } from "../ml/deploy/penguins.js";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const BIN = path.join(ROOT, "bin/mlnb.js");
const WEATHER_CSV = path.join(ROOT, "node_modules/vega-datasets/data/seattle-weather.csv");
const PENGUINS_JSON = path.join(ROOT, "node_modules/vega-datasets/data/penguins.json");
const work = mkdtempSync(path.join(tmpdir(), "mlnb-predict-"));
after(() => rmSync(work, { recursive: true, force: true }));

function mlnb(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: work, stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code) => resolve({ code, out, err }));
  });
}

/** A weather bundle whose pipeline starts from the raw date (as seattle-weather.mlnb's does). */
async function weatherBundle(): Promise<string> {
  const days = (await read.csv(WEATHER_CSV)) as ColumnTable;
  const inputs = ["precipitation", "temp_max", "temp_min", "wind", "season_sin", "season_cos"];
  const pipe = prep.pipeline([
    features.datePart("date", { parts: ["dayOfYear"] }),
    features.derive({ season_sin: "op.sin($.tau * d.date_dayOfYear / 365.25)", season_cos: "op.cos($.tau * d.date_dayOfYear / 365.25)" }, { tau: 2 * Math.PI }),
    prep.standardScaler({ columns: inputs }),
  ]);
  const model = await train.logisticRegression(pipe.fitTransform(days), { target: "weather", features: inputs, epochs: 5, seed: 2, progress: false });
  const dir = path.join(work, "weather");
  await deploy.bundle(dir, { preprocess: pipe, model, reference: days.select("date", "precipitation", "temp_max", "temp_min", "wind", "weather") });
  model.dispose();
  return dir;
}

/** POST a body to a server started from the bundle; returns its predictions and probabilities. */
async function served(dir: string, body: string, type: string): Promise<{ predictions: unknown[]; probabilities?: number[][]; labels?: string[] }> {
  const p = await deploy.load(dir);
  const srv = createServer(p, { maxBodyBytes: 8 << 20 });
  try {
    const { url } = await srv.listen(0);
    const res = await fetch(`${url}/invocations`, { method: "POST", headers: { "content-type": type }, body });
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as { predictions: unknown[]; probabilities?: number[][]; labels?: string[] };
  } finally {
    await srv.close();
    p.dispose();
  }
}

let weather = "";
before(async () => {
  weather = await weatherBundle();
});

test("scores seattle-weather.csv in batches with progress and writes the server's predictions and probabilities as CSV", async () => {
  const r = await mlnb(["predict", weather, WEATHER_CSV, "-o", "scored.csv", "--batch", "500"]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /mlnb predict: 500 \/ 1461 rows \(34%\)\n/);
  assert.match(r.err, /mlnb predict: 1461 \/ 1461 rows \(100%\)\n/);
  assert.match(r.err, /1461 rows scored in [\d.]+ s, wrote scored\.csv/);
  const scored = (await read.csv(path.join(work, "scored.csv"))) as ColumnTable;
  assert.deepEqual(scored.columnNames(), ["date", "precipitation", "temp_max", "temp_min", "wind", "weather", "prediction", "probability_drizzle", "probability_fog", "probability_rain", "probability_snow", "probability_sun"]);
  const want = await served(weather, readFileSync(WEATHER_CSV, "utf8"), "text/csv");
  assert.equal(scored.numRows(), 1461);
  assert.deepEqual(scored.array("prediction"), want.predictions);
  want.labels!.forEach((label, j) => assert.deepEqual(Array.from(scored.array(`probability_${label}`) as ArrayLike<number>), want.probabilities!.map((row) => row[j]), label));
});

test("without -o the scores go to stdout as CSV, the same text as the CSV file", async () => {
  const r = await mlnb(["predict", weather, WEATHER_CSV]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, readFileSync(path.join(work, "scored.csv"), "utf8"));
});

test("scores penguins.json into Parquet and JSON files holding the server's predictions for the same records", async () => {
  const { dir } = await penguinBundle();
  const want = await served(dir, readFileSync(PENGUINS_JSON, "utf8"), "application/json");
  for (const out of ["penguins.parquet", "penguins.json"]) {
    const r = await mlnb(["predict", dir, PENGUINS_JSON, "-o", out, "--batch", "100"]);
    assert.equal(r.code, 0, r.err);
    const scored = (await read(path.join(work, out))) as ColumnTable;
    assert.equal(scored.numRows(), 344);
    assert.deepEqual(Array.from(scored.array("prediction") as ArrayLike<unknown>), want.predictions, out);
    assert.deepEqual(Array.from(scored.array("probability_Gentoo") as ArrayLike<number>), want.probabilities!.map((row) => row[2]), out);
    assert.deepEqual(scored.array("Island")!.length, 344);
  }
  // the Parquet output is itself a data file predict reads
  const again = await mlnb(["predict", dir, "penguins.parquet", "-o", "again.json"]);
  assert.equal(again.code, 0, again.err);
  assert.deepEqual((JSON.parse(readFileSync(path.join(work, "again.json"), "utf8")) as { prediction: string }[]).map((r) => r.prediction), want.predictions);
});

test("bad rows are reported with their CSV line and field, and nothing is written", async () => {
  const lines = readFileSync(WEATHER_CSV, "utf8").split("\n");
  lines[3] = "2012-02-30,0.0,12.8,5.0,4.7,rain";
  lines[7] = "2012-01-07,lots,7.2,2.8,2.3,rain";
  writeFileSync(path.join(work, "bad.csv"), lines.join("\n"));
  const r = await mlnb(["predict", weather, "bad.csv", "-o", "bad-scored.csv"]);
  assert.equal(r.code, 1);
  assert.match(r.err, /mlnb predict: bad\.csv: 2 field errors in 1461 rows; nothing written:\n {2}line 4, field "date": must be an ISO 8601 date such as "2012-01-01", got "2012-02-30"\n {2}line 8, field "precipitation": must be a number, got "lots"/);
  assert.equal(existsSync(path.join(work, "bad-scored.csv")), false);
  const json = await mlnb(["predict", weather, PENGUINS_JSON]);
  assert.equal(json.code, 1);
  assert.match(json.err, /no column "date", "precipitation", "temp_max", "temp_min", "wind" \(the bundle's inputs: date, precipitation, temp_max, temp_min, wind\)/);
});

test("an unknown input or output extension and a bad --batch are usage errors", async () => {
  const a = await mlnb(["predict", weather, "data.xlsx"]);
  assert.equal(a.code, 2);
  assert.match(a.err, /cannot read "data\.xlsx": unknown extension "\.xlsx" \(known: \.csv, \.json, \.parquet\)/);
  const b = await mlnb(["predict", weather, WEATHER_CSV, "-o", "out.txt"]);
  assert.equal(b.code, 2);
  assert.match(b.err, /cannot write "out\.txt": unknown extension "\.txt"/);
  const c = await mlnb(["predict", weather, WEATHER_CSV, "--batch", "0"]);
  assert.equal(c.code, 2);
  assert.match(c.err, /--batch must be a positive integer, got "0"/);
});
