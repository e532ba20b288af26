// The one float64 sort of kernel/ml (ROC AUC, drift distances): same order as a numeric sort, negatives, zeros, subnormals and infinities included.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mulberry32 } from "../../../kernel/ml/context.js";
import { radixSortFloat64, sortFloat64 } from "../../../kernel/ml/sort.js";

describe("sortFloat64", () => {
  for (const [name, sort] of [["bucket", sortFloat64], ["radix", radixSortFloat64]] as const) {
  it(`orders 100,000 mixed-sign values with ties exactly as a numeric sort (${name})`, () => {
    const r = mulberry32(1);
    const v = Float64Array.from({ length: 100_000 }, (_, i) => (i % 10 === 0 ? Math.round(r() * 4) / 4 : (r() - 0.5) * 10 ** Math.floor(r() * 8 - 4)));
    v[5] = -0;
    v[6] = Infinity;
    v[7] = -Infinity;
    const want = Float64Array.from(v).sort();
    const got = sort(v);
    assert.equal(got.length, want.length);
    for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i]) && got[i] !== want[i]) assert.fail(`index ${i}: ${got[i]} vs ${want[i]}`);
  });
  }

  it("orders finite mixed-sign values with ties and -0 exactly as a numeric sort (bucket path)", () => {
    const r = mulberry32(3);
    const v = Float64Array.from({ length: 50_000 }, (_, i) => (i % 7 === 0 ? Math.round(r() * 8 - 4) : (r() - 0.5) * 10 ** Math.floor(r() * 6 - 3)));
    v[3] = -0;
    const want = Float64Array.from(v).sort();
    const got = sortFloat64(v);
    for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) assert.fail(`index ${i}: ${got[i]} vs ${want[i]}`);
  });

  it("sorts finite values that are skewed into a few buckets", () => {
    const r = mulberry32(2);
    // 20,000 values crowded near 0 and one far outlier: nearly everything lands in bucket 0
    const v = Float64Array.from({ length: 20_000 }, (_, i) => (i === 0 ? 1e12 : r() * 1e-3));
    const want = Float64Array.from(v).sort();
    assert.deepEqual(Array.from(sortFloat64(v)), Array.from(want));
  });

  it("leaves its input untouched", () => {
    const v = Float64Array.from({ length: 5000 }, (_, i) => 5000 - i);
    sortFloat64(v);
    assert.equal(v[0], 5000);
  });
});

it("orders negatives, zeros, subnormals, infinities and ties across 40 decades exactly as a numeric sort", () => {
  const rnd = mulberry32(3);
  const a = new Float64Array(50_000);
  for (let i = 0; i < a.length; i++) {
    const u = rnd();
    a[i] = i % 5 === 0 ? Math.floor(u * 20) - 10 : (u - 0.5) * 10 ** Math.floor(rnd() * 40 - 20);
  }
  a.set([-0, 0, Infinity, -Infinity, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MAX_VALUE], 100);
  const want = Float64Array.from(a).sort();
  assert.deepEqual(Array.from(sortFloat64(Float64Array.from(a))), Array.from(want));
});
