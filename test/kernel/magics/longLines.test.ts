// Tests for magic lines far longer than anyone writes: every repeated option is kept, in order, without duplicates.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseMagics, stageOf } from "../../../kernel/magics/parse.js";
import { splitWords } from "../../../kernel/magics/args.js";

test("parses %%stage with --needs repeated 40,000 times", () => {
  const parsed = parseMagics(`%%stage a${" --needs b --needs c,d".repeat(40_000)}\nconst x = 1;`);
  assert.ok(parsed.ok);
  assert.deepEqual(stageOf(parsed)?.needs, ["b", "c", "d"]);
  assert.equal(parsed.code, "\nconst x = 1;");
});

test("keeps 40,000 distinct needs in order", () => {
  const names = Array.from({ length: 40_000 }, (_, i) => `s${i}`);
  const parsed = parseMagics(`%%stage a --needs ${names.join(",")}`);
  assert.ok(parsed.ok);
  assert.deepEqual(stageOf(parsed)?.needs, names);
});

test("splits long runs of words with quotes and escapes intact", () => {
  const r = splitWords(`${"ab ".repeat(10_000)}"x y" 'z w' q\\ r`);
  assert.ok(r.ok);
  assert.equal(r.words.length, 10_003);
  assert.deepEqual(r.words.slice(-3), ["x y", "z w", "q r"]);
});
