import { test } from "node:test";
import assert from "node:assert/strict";
import { mulberry32 } from "../../../../kernel/ml/context.js";
import { sortFloat64 } from "../../../../kernel/ml/drift/radix.js";

test("radix sort orders negatives, zeros, subnormals, infinities and ties exactly as a numeric sort", () => {
  const rnd = mulberry32(3);
  const a = new Float64Array(50_000);
  for (let i = 0; i < a.length; i++) {
    const u = rnd();
    a[i] = i % 5 === 0 ? Math.floor(u * 20) - 10 : (u - 0.5) * 10 ** Math.floor(rnd() * 40 - 20);
  }
  a.set([-0, 0, Infinity, -Infinity, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MAX_VALUE], 100);
  const want = Float64Array.from(a).sort();
  const got = sortFloat64(Float64Array.from(a));
  assert.deepEqual(Array.from(got), Array.from(want));
});
