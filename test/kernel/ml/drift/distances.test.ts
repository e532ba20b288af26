import { test } from "node:test";
import assert from "node:assert/strict";
import { jensenShannon, psi, wasserstein } from "../../../../kernel/ml/drift/index.js";
import { close, fixtures, generate } from "./fixtures.js";

test("wasserstein equals scipy's wasserstein_distance, and Evidently's normalised form", () => {
  for (const [i, c] of fixtures.wasserstein.entries()) {
    const r = wasserstein(generate(c.a), generate(c.b));
    close(r.statistic, c.statistic, `case ${i} distance`);
    close(r.normalized, c.normalized, `case ${i} normalised`);
  }
});

test("jensenShannon and psi equal scipy's jensenshannon and Evidently's PSI on the same bins", () => {
  for (const [i, c] of fixtures.distances.entries()) {
    const [a, b] = c.a ? [generate(c.a), generate(c.b)] : [[...c.reference], [...c.current]];
    const opts = { bins: c.bins ?? "sturges" };
    close(jensenShannon(a, b, opts).statistic, c.jensenShannon, `case ${i} jensen-shannon`);
    close(psi(a, b, opts).statistic, c.psi, `case ${i} psi`);
  }
});

test("identical samples are at distance zero", () => {
  const a = [1, 2, 3, 4, 5];
  assert.equal(wasserstein(a, a).statistic, 0);
  assert.equal(jensenShannon(["x", "y"], ["y", "x"]).statistic, 0);
  assert.equal(psi(a, a).statistic, 0);
});
