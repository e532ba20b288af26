// Tests of %%params: literal extraction with types, overrides coerced or rejected, substitution.
import assert from "node:assert/strict";
import { test } from "node:test";
import { applyParamOverrides, extractParams, substituteParams } from "../../../kernel/magics/index.js";

const CELL = [
  "const epochs = 20;",
  "const lr: number = -1e-3;",
  'const target = "species";',
  "const shuffle = true;",
  "const layers = [16, 8] as const;",
  'const split = { test: 0.2, by: "island" };',
  "const now = Date.now();",
  "let notConst = 3;",
].join("\n");

test("extracts top-level literal consts with their types", () => {
  const { params, skipped } = extractParams(CELL);
  assert.deepEqual(params.map((p) => [p.name, p.type, p.value, p.line]), [
    ["epochs", "number", 20, 1],
    ["lr", "number", -0.001, 2],
    ["target", "string", "species", 3],
    ["shuffle", "boolean", true, 4],
    ["layers", "array", [16, 8], 5],
    ["split", "object", { test: 0.2, by: "island" }, 6],
  ]);
  assert.deepEqual(skipped, [{ name: "now", reason: '"Date.now()" is not a literal', line: 7 }]);
});

test("coerces overrides to the types of the defaults", () => {
  const { params } = extractParams(CELL);
  const r = applyParamOverrides(params, { epochs: "5", shuffle: "false", target: "sex", layers: "[32]", split: '{"test":0.3}' });
  assert.ok(r.ok);
  assert.deepEqual(r.values, { epochs: 5, lr: -0.001, target: "sex", shuffle: false, layers: [32], split: { test: 0.3 } });
});

test("rejects an unknown param name and suggests the closest", () => {
  const { params } = extractParams(CELL);
  const r = applyParamOverrides(params, { epoch: "5" });
  assert.deepEqual(r, { ok: false, errors: ['unknown param "epoch"; did you mean "epochs"? (params: epochs, lr, target, shuffle, layers, split)'] });
});

test("rejects a value of the wrong type, naming the param", () => {
  const { params } = extractParams(CELL);
  const r = applyParamOverrides(params, { epochs: "many", shuffle: "maybe", layers: "{}" });
  assert.equal(r.ok, false);
  assert.deepEqual(!r.ok && r.errors, [
    'param "epochs" is a number (default 20): "many" is not a number',
    'param "shuffle" is a boolean (default true): "maybe" is not true or false',
    'param "layers" is a array (default [16,8]): "{}" is a object, not an array',
  ]);
});

test("substitutes overridden values in place without moving lines", () => {
  const code = "const epochs = 20;\nconst names = [\n  'a',\n  'b',\n];\nconst after = epochs;";
  const { params } = extractParams(code);
  const r = applyParamOverrides(params, { epochs: "3", names: '["z"]' });
  assert.ok(r.ok);
  const out = substituteParams(code, params, r.values);
  assert.equal(out, 'const epochs = 3;\nconst names = ["z"]\n\n\n;\nconst after = epochs;');
  assert.deepEqual(extractParams(out).params.map((p) => p.value), [3, ["z"]]);
});
