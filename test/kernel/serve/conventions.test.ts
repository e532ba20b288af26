import { test } from "node:test";
import assert from "node:assert/strict";
import { inputs, servedPenguins } from "./fixture.js";

const setup = servedPenguins({});

test("text/csv on /invocations gives the same predictions as JSON rows, typed by the schema", async () => {
  const { url, rows, predictor } = await setup;
  const sample = inputs(rows.slice(0, 12));
  const want = predictor.predict(sample).predictions;
  const names = Object.keys(sample[0]);
  const cell = (v: unknown) => (v === null || v === undefined ? "" : typeof v === "string" && /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v));
  const csv = [names.map(cell).join(","), ...sample.map((r) => names.map((n) => cell(r[n])).join(","))].join("\r\n") + "\r\n";
  const res = await fetch(`${url}/invocations`, { method: "POST", headers: { "content-type": "text/csv; charset=utf-8" }, body: csv });
  assert.equal(res.status, 200);
  assert.deepEqual((await res.json()).predictions, want);
  const bad = await fetch(`${url}/invocations`, { method: "POST", headers: { "content-type": "text/csv" }, body: `${names.join(",")}\nDream,heavy\n` });
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error, /CSV line 2 has 2 fields, the header 6/);
  const typed = await fetch(`${url}/invocations`, { method: "POST", headers: { "content-type": "text/csv" }, body: `${names.join(",")}\n${names.map((n) => (n === "Body Mass (g)" ? "heavy" : cell(sample[0][n]))).join(",")}\n` });
  assert.equal(typed.status, 422);
  assert.equal((await typed.json()).errors[0].message, 'must be a number, got "heavy"');
  assert.equal((await fetch(`${url}/predict`, { method: "POST", headers: { "content-type": "text/csv" }, body: csv })).status, 415);
});

test("/openapi.json describes the bundle's input fields, body shapes and responses", async () => {
  const { url } = await setup;
  const doc = await (await fetch(`${url}/openapi.json`)).json();
  assert.equal(doc.openapi, "3.0.3");
  const row = doc.components.schemas.Row;
  assert.deepEqual(row.properties.Island, { type: "string", enum: ["Biscoe", "Dream", "Torgersen"] });
  assert.deepEqual(row.properties["Body Mass (g)"], { type: "number", nullable: true });
  assert.equal(row.additionalProperties, false);
  const post = doc.paths["/predict"].post;
  assert.deepEqual(Object.keys(post.responses), ["200", "400", "401", "413", "415", "422"]);
  assert.deepEqual(Object.keys(doc.paths["/invocations"].post.requestBody.content), ["application/json", "text/csv"]);
  assert.deepEqual(post.requestBody.content["application/json"].schema.oneOf.map((s: { required?: string[] }) => s.required?.[0] ?? "rows"), ["rows", "dataframe_split", "dataframe_records", "instances", "inputs"]);
  assert.deepEqual(post.responses["200"].content["application/json"].schema.properties.labels.example, ["Adelie", "Chinstrap", "Gentoo"]);
});
