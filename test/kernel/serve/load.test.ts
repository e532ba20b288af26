import { test } from "node:test";
import assert from "node:assert/strict";
import { deploy } from "../../../kernel/ml/index.js";
import { createServer } from "../../../kernel/serve/index.js";
import { penguinBundle } from "../ml/deploy/penguins.js";

test("10,000 requests from 32 concurrent clients, 1% malformed, all get the right code and the server stays up", async () => {
  const { dir, rows } = await penguinBundle();
  const predictor = await deploy.load(dir);
  const srv = createServer(predictor);
  const { url } = await srv.listen(0);
  try {
    const inputs = rows.map(({ Species: _s, ...rest }) => rest);
    const expected = predictor.predict(inputs).predictions;
    const TOTAL = 10_000;
    const codes = new Map<number, number>();
    const wrong: string[] = [];
    let next = 0;
    async function client(): Promise<void> {
      // Each client takes the next request number until all are sent: a bounded loop.
      for (let i = next++; i < TOTAL; i = next++) {
        const malformed = i % 100 === 0;
        const k = i % inputs.length;
        const body = malformed ? `[{"Island": "Dream", ${i}` : JSON.stringify([inputs[k]]);
        const res = await fetch(`${url}/predict`, { method: "POST", headers: { "content-type": "application/json" }, body });
        const json = (await res.json()) as { predictions?: unknown[] };
        codes.set(res.status, (codes.get(res.status) ?? 0) + 1);
        if (malformed ? res.status !== 400 : res.status !== 200 || json.predictions?.[0] !== expected[k]) wrong.push(`request ${i}: ${res.status}`);
      }
    }
    await Promise.all(Array.from({ length: 32 }, client));
    assert.deepEqual(wrong.slice(0, 5), []);
    assert.deepEqual(Object.fromEntries(codes), { 200: 9900, 400: 100 });
    assert.equal(srv.metrics.count(200), 9900);
    assert.equal(srv.metrics.count(400), 100);
    assert.equal((await fetch(`${url}/health`)).status, 200);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    assert.match(metrics, /mlnb_requests_total\{route="\/predict",code="400"\} 100\n/);
    assert.match(metrics, /mlnb_errors_total\{route="\/predict"\} 100\n/);
    assert.match(metrics, /mlnb_request_duration_seconds_count\{route="\/predict"\} 10000\n/);
    assert.match(metrics, /mlnb_predicted_rows_total 9900\n/);
  } finally {
    await srv.close();
    predictor.dispose();
  }
});
