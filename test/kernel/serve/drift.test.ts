import { test } from "node:test";
import assert from "node:assert/strict";
import { inputs, servedPenguins } from "./fixture.js";

const setup = servedPenguins({ windowSize: 100 });

type Row = Record<string, unknown>;

async function send(url: string, rows: Row[]): Promise<void> {
  const res = await fetch(`${url}/predict`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(rows) });
  assert.equal(res.status, 200);
  await res.json();
}

async function drift(url: string) {
  return (await fetch(`${url}/drift`)).json();
}

test("too few inputs give no drift verdict yet", async () => {
  const { url, rows } = await setup;
  await send(url, inputs(rows.slice(0, 10)));
  const d = await drift(url);
  assert.equal(d.windowRows, 10);
  assert.equal(d.report, null);
  assert.match(d.message, /drift needs at least 30/);
});

test("inputs like the training data do not drift; Gentoo-only heavy inputs do, in /drift and /metrics", async () => {
  const { url, rows } = await setup;
  // Every third penguin, in data order: a fair sample of all species.
  await send(url, inputs(rows.filter((_, i) => i % 3 === 0).slice(0, 100)));
  const calm = await drift(url);
  assert.equal(calm.windowRows, 100);
  assert.equal(calm.report.datasetDrift, false);
  assert.equal(calm.report.columns[0].test, "chisquare");

  const gentoo = inputs(rows.filter((r) => r.Species === "Gentoo" && r["Body Mass (g)"] !== null));
  await send(url, gentoo.slice(0, 100));
  const moved = await drift(url);
  assert.equal(moved.windowRows, 100, "the window stays bounded");
  assert.equal(moved.report.datasetDrift, true);
  const byName = Object.fromEntries(moved.report.columns.map((c: { column: string; drifted: boolean }) => [c.column, c.drifted]));
  assert.equal(byName["Island"], true);
  assert.equal(byName["Body Mass (g)"], true);
  const metrics = await (await fetch(`${url}/metrics`)).text();
  assert.match(metrics, /mlnb_drift_detected\{column="Body Mass \(g\)"\} 1\n/);
  assert.match(metrics, /mlnb_dataset_drift 1\n/);
  assert.match(metrics, /mlnb_drift_score\{column="Island",test="chisquare"\} [0-9.e-]+\n/);
});
