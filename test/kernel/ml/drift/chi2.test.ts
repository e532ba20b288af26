import { test } from "node:test";
import assert from "node:assert/strict";
import { chi2, chi2Sf, zTest } from "../../../../kernel/ml/drift/index.js";
import { close, fixtures } from "./fixtures.js";

test("chi2 equals Evidently's scipy chisquare of current counts against scaled reference counts", () => {
  for (const [i, c] of fixtures.chi2.entries()) {
    const r = chi2([...c.reference], [...c.current]);
    assert.equal(r.df, c.df);
    close(r.statistic, c.statistic, `case ${i} statistic`);
    close(r.pValue, c.pValue, `case ${i} p-value`);
  }
});

test("a category unseen in the reference gives an infinite statistic and p = 0", () => {
  const r = chi2(["a", "b", "a"], ["a", "c"]);
  assert.equal(r.statistic, Infinity);
  assert.equal(r.pValue, 0);
});

test("chi2Sf equals scipy's chi2.sf", () => {
  for (const c of fixtures.chi2sf) close(chi2Sf(c.x, c.df), c.sf, `chi2.sf(${c.x}, ${c.df})`);
});

test("zTest equals Evidently's two-proportion z-test", () => {
  for (const [i, c] of fixtures.z.entries()) {
    const r = zTest([...c.reference], [...c.current]);
    close(Math.abs(r.statistic), Math.abs(c.statistic), `case ${i} statistic`);
    close(r.pValue, c.pValue, `case ${i} p-value`);
  }
});
