import { test } from "node:test";
import assert from "node:assert/strict";
import { ks, kolmogorovSf } from "../../../../kernel/ml/drift/index.js";
import { close, fixtures, generate } from "./fixtures.js";

for (const c of fixtures.ks) {
  test(`ks equals scipy's ks_2samp: ${c.name}`, () => {
    const r = ks(generate(c.a), generate(c.b));
    assert.equal(r.method, c.method);
    close(r.statistic, c.statistic, `${c.name} statistic`);
    close(r.pValue, c.pValue, `${c.name} p-value`);
  });
}

test("kolmogorovSf equals scipy's kstwo.sf over every algorithm region", () => {
  for (const c of fixtures.kstwo) close(kolmogorovSf(c.n, c.x), c.sf, `kstwo.sf(${c.x}, ${c.n})`);
});

test("ks drops missing values and rejects an empty sample", () => {
  const r = ks([1, 2, null, 3, NaN], [1, 2, 3]);
  assert.equal(r.statistic, 0);
  assert.equal(r.pValue, 1);
  assert.throws(() => ks([], [1]), /at least one value/);
});
