// Tests that swc outputs kept in a folder are swc's own, are read back by a later process's strip, and are keyed by code and options.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { keptStrips } from "../../../kernel/transpile/keptStrips.js";
import { transformSync } from "../../../kernel/transpile/swc.js";

const dir = mkdtempSync(join(tmpdir(), "mlnb-strips-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const OPTIONS = { filename: "Cell[1]", sourceMaps: true, isModule: true, jsc: { parser: { syntax: "typescript" as const }, target: "es2022" as const } };
const CODE = "const n: number = 1;\ninterface P { x: number }\nconst p: P = { x: n };\np.x";

/** The kept files under `root` (one per key). */
function keptFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".json")).map((f) => join(root, f));
}

test("a kept strip is swc's own output and map, and a strip opened later on the folder reads it instead of stripping", () => {
  const root = join(dir, "read-back");
  const swc = transformSync(CODE, OPTIONS);
  const first = keptStrips(root)(CODE, OPTIONS);
  assert.equal(first.code, swc.code);
  assert.equal(first.map, swc.map);
  const [file] = keptFiles(root);
  assert.ok(file, "one file kept");
  // Mark the kept output: a later strip (a fresh kernel) that returns the mark read the folder, not swc.
  const kept = JSON.parse(readFileSync(file, "utf8")) as { code: string };
  writeFileSync(file, JSON.stringify({ ...kept, code: `${kept.code}// from the folder\n` }));
  const later = keptStrips(root)(CODE, { ...OPTIONS, filename: "Cell[7]" });
  assert.match(later.code, /\/\/ from the folder\n$/, "the label of the cell is not part of the key");
});

test("other code or other options are other entries, and an unreadable entry is stripped again", () => {
  const root = join(dir, "keys");
  const strip = keptStrips(root);
  strip(CODE, OPTIONS);
  strip(`${CODE};\n`, OPTIONS);
  const es5 = strip(CODE, { ...OPTIONS, jsc: { ...OPTIONS.jsc, target: "es5" as const } });
  assert.doesNotMatch(es5.code, /\bconst\b/, "es5 output, not the es2022 entry");
  assert.equal(keptFiles(root).length, 3);
  for (const f of keptFiles(root)) writeFileSync(f, "{ not json");
  assert.equal(keptStrips(root)(CODE, OPTIONS).code, transformSync(CODE, OPTIONS).code);
});
