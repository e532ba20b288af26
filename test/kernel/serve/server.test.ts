import { test } from "node:test";
import assert from "node:assert/strict";
import { inputs, servedPenguins } from "./fixture.js";

const setup = servedPenguins({ token: "s3cret", maxBodyBytes: 64 * 1024, windowSize: 200 });

const auth = { authorization: "Bearer s3cret", "content-type": "application/json" };

async function post(url: string, body: string, headers: Record<string, string> = auth) {
  const res = await fetch(`${url}/predict`, { method: "POST", headers, body });
  return { status: res.status, body: await res.json() };
}

test("the server binds to loopback and answers /health without a token", async () => {
  const { srv, url } = await setup;
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal((srv.server.address() as { address: string }).address, "127.0.0.1");
  const res = await fetch(`${url}/health`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: "ok" });
});

test("predictions over HTTP equal the predictor's for the same rows, as JSON rows and as dataframe_split", async () => {
  const { url, rows, predictor } = await setup;
  const sample = inputs(rows.slice(0, 40));
  const want = predictor.predict(sample);
  const a = await post(url, JSON.stringify(sample));
  assert.equal(a.status, 200);
  assert.deepEqual(a.body.predictions, want.predictions);
  assert.deepEqual(a.body.labels, ["Adelie", "Chinstrap", "Gentoo"]);
  for (let i = 0; i < sample.length; i++) for (let k = 0; k < 3; k++) assert.ok(Math.abs(a.body.probabilities[i][k] - want.probabilities![i][k]) < 1e-6);
  const columns = Object.keys(sample[0]);
  const b = await post(url, JSON.stringify({ dataframe_split: { columns, data: sample.map((r) => columns.map((c) => r[c])) } }));
  assert.equal(b.status, 200);
  assert.deepEqual(b.body.predictions, want.predictions);
});

test("a missing or wrong token is a 401 on every route but /health", async () => {
  const { url, rows } = await setup;
  const body = JSON.stringify(inputs(rows.slice(0, 1)));
  assert.equal((await post(url, body, { "content-type": "application/json" })).status, 401);
  const wrong = await post(url, body, { authorization: "Bearer nope", "content-type": "application/json" });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.body.error, "wrong token");
  for (const route of ["/metadata", "/metrics", "/drift"]) assert.equal((await fetch(`${url}${route}`)).status, 401, route);
});

test("malformed JSON and bodies of the wrong shape are 400s", async () => {
  const { url } = await setup;
  const bad = await post(url, '[{"Island": "Dream",');
  assert.equal(bad.status, 400);
  assert.match(bad.body.error, /^malformed JSON/);
  assert.equal((await post(url, "42")).status, 400);
  assert.equal((await post(url, "[]")).status, 400);
  assert.match((await post(url, '{"dataframe_split": {"columns": ["a"], "data": [[1, 2]]}}')).body.error, /data\[0\] must be an array of 1 values/);
});

test("rows that do not fit the schema are a 422 listing each bad field", async () => {
  const { url, rows } = await setup;
  const good = inputs(rows.slice(0, 1))[0];
  const res = await post(url, JSON.stringify([good, { ...good, Island: "Atlantis", "Body Mass (g)": "heavy" }, { ...good, Wings: 2, Island: undefined }]));
  assert.equal(res.status, 422);
  assert.deepEqual(
    res.body.errors.map((e: { row: number; field: string }) => [e.row, e.field]),
    [[1, "Island"], [1, "Body Mass (g)"], [2, "Island"], [2, "Wings"]],
  );
  assert.match(res.body.errors[0].message, /"Atlantis" is not an allowed category \("Biscoe", "Dream", "Torgersen"\)/);
  assert.equal(res.body.errors[1].message, 'must be a number, got "heavy"');
  assert.equal(res.body.errors[2].message, "is missing");
});

test("a body over the limit is a 413 and the server keeps serving", async () => {
  const { url } = await setup;
  const res = await post(url, JSON.stringify([{ pad: "x".repeat(70 * 1024) }]));
  assert.equal(res.status, 413);
  assert.match(res.body.error, /over the limit of 65536 bytes/);
  assert.equal((await fetch(`${url}/health`)).status, 200);
});

test("unknown routes are 404 and wrong methods 405", async () => {
  const { url } = await setup;
  assert.equal((await fetch(`${url}/nope`)).status, 404);
  assert.equal((await fetch(`${url}/predict`, { headers: auth })).status, 405);
});

test("metadata carries the schema, metrics and provenance", async () => {
  const { url } = await setup;
  const m = await (await fetch(`${url}/metadata`, { headers: auth })).json();
  assert.equal(m.task, "classification");
  assert.equal(m.target, "Species");
  assert.deepEqual(m.metrics, { accuracy: 0.97 });
  assert.equal(m.provenance.notebook, "penguins.mlnb");
  assert.equal(m.schema.fields.length, 6);
});

test("a chunked body that grows past the limit is cut off with a 413 without harming later requests", async () => {
  const { url } = await setup;
  const http = await import("node:http");
  const status = await new Promise<number>((resolve, reject) => {
    const req = http.request(`${url}/predict`, { method: "POST", headers: { authorization: "Bearer s3cret", "content-type": "application/json", "transfer-encoding": "chunked" } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    const chunk = "x".repeat(8 * 1024);
    for (let i = 0; i < 12; i++) req.write(chunk);
    req.end();
  });
  assert.equal(status, 413);
  assert.equal((await fetch(`${url}/health`)).status, 200);
});
