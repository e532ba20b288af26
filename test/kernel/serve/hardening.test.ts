import { test } from "node:test";
import assert from "node:assert/strict";
import { inputs, servedPenguins } from "./fixture.js";
import { pipeline, post, slowClient } from "./raw.js";

const setup = servedPenguins({ headersTimeoutMs: 1000, requestTimeoutMs: 2000 });
const port = async () => Number(new URL((await setup).url).port);
const json = { "content-type": "application/json" };

test("a request target that is not a path is a 400 and the server keeps answering", async () => {
  const { url } = await setup;
  const got = await pipeline(await port(), ["GET //[ HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n", "GET http://[ HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n", "GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n"]);
  assert.deepEqual(got.responses.map((r) => r.status), [400, 400, 200]);
  assert.match(JSON.parse(got.responses[0].body).error, /bad request target/);
  const bad = await pipeline(await port(), ["GET /he alth HTTP/1.1\r\n\r\n"]);
  assert.deepEqual(bad.responses.map((r) => r.status), [400]);
  assert.equal((await fetch(`${url}/health`)).status, 200);
});

test("a 422 lists the first 100 field errors and counts them all", async () => {
  const { url } = await setup;
  const rows = Array.from({ length: 300 }, () => ({ Island: 5, Sex: 7 }));
  const res = await fetch(`${url}/predict`, { method: "POST", headers: json, body: JSON.stringify(rows) });
  assert.equal(res.status, 422);
  const body = await res.json();
  assert.equal(body.errors.length, 100);
  assert.equal(body.total, 600); // Island and Sex in each row: the measurements are nullable
  assert.match(body.error, /^600 fields do not fit the input schema \(the first 100 listed\)$/);
});

test("a body that is not JSON by its Content-Type is a 415", async () => {
  const { url, rows } = await setup;
  const body = JSON.stringify(inputs(rows.slice(0, 1)));
  for (const type of ["text/plain", "application/x-www-form-urlencoded", ""]) {
    const res = await fetch(`${url}/predict`, { method: "POST", headers: type ? { "content-type": type } : {}, body: Buffer.from(body) });
    assert.equal(res.status, 415, type);
    assert.match((await res.json()).error, /^Content-Type must be application\/json/);
  }
  const ok = await fetch(`${url}/predict`, { method: "POST", headers: { "content-type": "Application/JSON; charset=utf-8" }, body });
  assert.equal(ok.status, 200);
});

test("on loopback a Host header naming another site is refused, as DNS rebinding would send", async () => {
  const got = await pipeline(await port(), [
    "GET /health HTTP/1.1\r\nhost: evil.example:8080\r\n\r\n",
    "GET /health HTTP/1.1\r\nhost: localhost:1\r\n\r\n",
    "GET /health HTTP/1.1\r\nhost: [::1]\r\n\r\n",
    "GET /health HTTP/1.1\r\nhost: a b\r\n\r\n",
  ]);
  assert.deepEqual(got.responses.map((r) => r.status), [403, 200, 200, 400]);
  assert.match(JSON.parse(got.responses[0].body).error, /host "evil\.example" is not served here/);
});

test("rows are plain data: __proto__, constructor and prototype keys are refused in every body shape", async () => {
  const { url, rows } = await setup;
  const row = inputs(rows.slice(0, 1))[0];
  const send = (body: string) => pipeline(Number(new URL(url).port), [post("/predict", body)]).then((r) => ({ status: r.responses[0].status, error: JSON.parse(r.responses[0].body).error as string }));
  const columns = [...Object.keys(row), "__proto__"];
  const split = await send(JSON.stringify({ dataframe_split: { columns, data: [[...Object.values(row), { polluted: true }]] } }));
  assert.deepEqual(split, { status: 400, error: 'dataframe_split.columns: field name "__proto__" is not allowed' });
  const records = await send(`[${JSON.stringify(row).slice(0, -1)}, "__proto__": {"Island": "Dream"}}]`);
  assert.deepEqual(records, { status: 400, error: 'row 0: field name "__proto__" is not allowed' });
  const ctor = await send(JSON.stringify({ inputs: [{ ...row, constructor: 1 }] }));
  assert.deepEqual(ctor, { status: 400, error: 'row 0: field name "constructor" is not allowed' });
  const proto = await send(JSON.stringify({ inputs: { ...Object.fromEntries(Object.entries(row).map(([k, v]) => [k, [v]])), prototype: [1] } }));
  assert.deepEqual(proto, { status: 400, error: 'inputs: field name "prototype" is not allowed' });
  // A field named like an Object.prototype member is an unknown field, not the inherited function.
  const inherited = await send(JSON.stringify([{ ...row, toString: 1 }]));
  assert.deepEqual(inherited, { status: 422, error: "1 field does not fit the input schema" });
  assert.equal(({} as { polluted?: boolean }).polluted, undefined);
});

test("a client that sends its headers slowly is cut off by the headers timeout", async () => {
  const slow = await slowClient(await port(), ["GET /health HTTP/1.1\r\n", ...Array.from({ length: 40 }, (_, i) => `x-slow-${i}: 1\r\n`)], 250);
  assert.ok(slow.sent < 40, `the server waited for all ${slow.sent} header lines (${slow.closedAfterMs} ms)`);
  assert.match(slow.reply, /^HTTP\/1\.1 408 /);
});

test("a client that sends its body slowly is cut off by the request timeout", async () => {
  const head = post("/predict", "x".repeat(40)).slice(0, -40);
  const slow = await slowClient(await port(), [head, ...Array.from({ length: 40 }, () => "x")], 250);
  assert.ok(slow.sent < 40, `the server waited for all ${slow.sent} body bytes (${slow.closedAfterMs} ms)`);
  const { url } = await setup;
  assert.equal((await fetch(`${url}/health`)).status, 200);
});

test("MLflow's inputs (records or columns) and instances bodies give the same predictions as plain rows", async () => {
  const { url, rows, predictor } = await setup;
  const sample = inputs(rows.slice(0, 10));
  const want = predictor.predict(sample).predictions;
  const columns = Object.fromEntries(Object.keys(sample[0]).map((k) => [k, sample.map((r) => r[k])]));
  for (const body of [{ inputs: sample }, { inputs: columns }, { instances: sample }, { dataframe_records: sample }]) {
    const res = await fetch(`${url}/invocations`, { method: "POST", headers: json, body: JSON.stringify(body) });
    assert.equal(res.status, 200, Object.keys(body)[0]);
    assert.deepEqual((await res.json()).predictions, want);
  }
});
