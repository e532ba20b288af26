// Type-check results persist under the store folder: a fresh checker answers a known cell without loading TypeScript.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import typescript from "typescript";
import type * as TS from "typescript";
import { openCheckCache } from "../../../kernel/exec/checkCache.js";
import { CellTypeChecker, declaredNames } from "../../../kernel/exec/typecheck.js";

const dir = mkdtempSync(join(tmpdir(), "mlnb-checkcache-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const cacheDir = join(dir, ".mlnb", "typecheck");
const ts = typescript as unknown as typeof TS;
const noTypeScript = () => {
  throw new Error("TypeScript was loaded");
};

/** Check and commit `cells` in order with `checker`; the diagnostics of each. */
function checkAll(checker: CellTypeChecker, cells: string[]) {
  return cells.map((code) => {
    const diags = checker.check(code, (t) => declaredNames(t, code));
    checker.commit(code);
    return diags.map((d) => `${d.line}:${d.column} TS${d.code}`);
  });
}

describe("persistent type-check cache", () => {
  const cells = ["const rows = [1, 2, 3];", "const total: number = rows.reduce((a, b) => a + b, 0);", "const bad: string = total;"];

  it("answers a second kernel's checks of the same cells without loading TypeScript", () => {
    const first = checkAll(new CellTypeChecker(ts, dir, openCheckCache(cacheDir, dir)), cells);
    assert.deepEqual(first, [[], [], ["1:7 TS2322"]]);
    const second = new CellTypeChecker(noTypeScript, dir, openCheckCache(cacheDir, dir));
    assert.deepEqual(checkAll(second, cells), first);
    assert.deepEqual(second.declarationsOf(cells[1]), [["total", "declare const total: number;"]]);
  });

  it("checks again when an earlier cell's declarations changed", () => {
    const changed = ["const rows = ['a'];", ...cells.slice(1)];
    const checker = new CellTypeChecker(noTypeScript, dir, openCheckCache(cacheDir, dir));
    assert.throws(() => checkAll(checker, changed), /TypeScript was loaded/);
    assert.deepEqual(checkAll(new CellTypeChecker(ts, dir, openCheckCache(cacheDir, dir)), changed)[1], ["1:7 TS2322", "1:28 TS2769"]);
  });

  it("checks again when a local module the cell imports changed", () => {
    writeFileSync(join(dir, "helper.ts"), "export const k = 1;\n");
    const code = ["import { k } from './helper.ts';\nconst n: number = k;"];
    assert.deepEqual(checkAll(new CellTypeChecker(ts, dir, openCheckCache(cacheDir, dir)), code), [[]]);
    assert.deepEqual(checkAll(new CellTypeChecker(noTypeScript, dir, openCheckCache(cacheDir, dir)), code), [[]]);
    writeFileSync(join(dir, "helper.ts"), "export const k = 'one';\n");
    assert.throws(() => checkAll(new CellTypeChecker(noTypeScript, dir, openCheckCache(cacheDir, dir)), code), /TypeScript was loaded/);
    assert.deepEqual(checkAll(new CellTypeChecker(ts, dir, openCheckCache(cacheDir, dir)), code), [["2:7 TS2322"]]);
  });
});
