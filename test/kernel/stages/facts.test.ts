// Tests of cell facts kept across kernels: what is read back equals what TypeScript derives, and what JSON cannot hold is not kept.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { extractParams } from "../../../kernel/magics/paramValues.js";
import { codeHash } from "../../../kernel/stages/cacheKey.js";
import { analyzeCell } from "../../../kernel/stages/defs.js";
import { openCellFacts } from "../../../kernel/stages/facts.js";
import { declarationsOnly } from "../../../kernel/stages/restore.js";

const dir = mkdtempSync(join(tmpdir(), "mlnb-facts-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const files = () => (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith(".json")).length;

const STAGE = `import { prep } from "mlnb";
interface Row { x: number }
/** Doubles. */
function twice(v: number) { return 2 * v; }
const rows: Row[] = input.map((r: Row) => ({ x: twice(r.x) }));
rows.length`;

test("facts read back by a fresh opener equal what TypeScript derives, and are stored once", () => {
  const first = openCellFacts(dir);
  assert.deepEqual(first.analyze(STAGE), analyzeCell(STAGE));
  assert.equal(first.codeHash(STAGE, "m1"), codeHash(STAGE, "m1"));
  assert.equal(first.declarationsOnly(STAGE), declarationsOnly(STAGE));
  assert.equal(files(), 3);

  const fresh = openCellFacts(dir);
  assert.deepEqual(fresh.analyze(STAGE), analyzeCell(STAGE));
  assert.deepEqual(fresh.analyze(STAGE).refs, ["input"]);
  assert.equal(fresh.codeHash(STAGE, "m1"), codeHash(STAGE, "m1"));
  assert.notEqual(fresh.codeHash(STAGE, "m2"), codeHash(STAGE, "m1"), "the local modules' hash still counts");
  assert.equal(fresh.codeHash(`// a comment\n${STAGE}`), codeHash(STAGE), "comments still do not count");
  assert.notEqual(fresh.codeHash(STAGE.replace("2 * v", "3 * v")), codeHash(STAGE));
  assert.equal(fresh.declarationsOnly(STAGE), declarationsOnly(STAGE));
  assert.equal(files(), 5, "the commented and the changed text were normalized and stored; a new modules hash needs nothing new");
});

test("params that JSON cannot hold exactly are derived again, never read back wrong", () => {
  const code = "%%params\nconst big = 1e999;\nconst small = -0;\nconst epochs = 20 as const;";
  const before = files();
  const params = openCellFacts(dir).params(code);
  assert.deepEqual(params, extractParams(code));
  assert.equal(files(), before, "not stored");
  const again = openCellFacts(dir).params(code).params;
  assert.equal(again[0]!.value, Infinity);
  assert.ok(Object.is(again[1]!.value, -0));
  assert.equal(again[2]!.value, 20);
});
