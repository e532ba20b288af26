// Tests that counts are grouped as toLocaleString("en-US") groups them, without ICU.
import assert from "node:assert/strict";
import { test } from "node:test";
import { formatCount } from "../../../kernel/text/count.js";

test("groups the digits of whole numbers by three with commas, as en-US does", () => {
  assert.equal(formatCount(0), "0");
  assert.equal(formatCount(344), "344");
  assert.equal(formatCount(1000), "1,000");
  assert.equal(formatCount(1234567), "1,234,567");
  assert.equal(formatCount(-98765), "-98,765");
  for (const n of [7, 42, 999, 1001, 65536, 2 ** 31, 10 ** 15, -1, -1000]) assert.equal(formatCount(n), n.toLocaleString("en-US"), String(n));
});

test("rounds a fraction to a whole number and leaves non-finite values as they print", () => {
  assert.equal(formatCount(1234.6), "1,235");
  assert.equal(formatCount(Number.NaN), "NaN");
  assert.equal(formatCount(Number.POSITIVE_INFINITY), "Infinity");
});
