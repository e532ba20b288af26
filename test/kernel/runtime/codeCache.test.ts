// Tests that a CommonJS file loads through a V8 code cache and a wrapped copy of its source it wrote, and compiles as before when they are missing, refused, cut short or unwritable.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire, Module } from "node:module";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, test } from "node:test";
import { codeCacheFile, requireWithCodeCache } from "../../../kernel/runtime/codeCache.js";

const require = createRequire(import.meta.url);
const dir = mkdtempSync(join(tmpdir(), "mlnb-codecache-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A small CommonJS module with functions that run only when called (compiled lazily by V8). */
function writeModule(name: string): string {
  const path = join(dir, `${name}.cjs`);
  writeFileSync(path, `const path = require("node:path");\nfunction area(w, h) { return w * h; }\nmodule.exports = { area, base: path.basename(__filename), dir: __dirname };\n`);
  return path;
}

type Shapes = { area(w: number, h: number): number; base: string; dir: string };

test("loads a module compiled, then from the cache it saved, with require's module globals", () => {
  const path = writeModule("shapes");
  const cache = codeCacheFile(path, join(dir, "cache"), "shapes");
  const first = requireWithCodeCache<Shapes>(path, cache);
  assert.equal(first.fromCache, false);
  assert.equal(first.exports.area(3, 4), 12);
  assert.deepEqual([first.exports.base, first.exports.dir], ["shapes.cjs", dir]);
  assert.equal(require(path), first.exports, "a later require gets the same exports");
  first.save();
  assert.ok(readFileSync(cache).length > 0);

  delete require.cache[path];
  const second = requireWithCodeCache<Shapes>(path, cache);
  assert.equal(second.fromCache, true);
  assert.equal(second.exports.area(5, 6), 30);
  assert.notEqual(second.exports, first.exports);
});

test("compiles the file when the cache holds bytes V8 refuses, and rewrites it", () => {
  const path = writeModule("refused");
  const cache = join(dir, "cache", "refused.v8cache");
  mkdirSync(join(dir, "cache"), { recursive: true });
  writeFileSync(cache, "not a V8 code cache");
  const loaded = requireWithCodeCache<Shapes>(path, cache);
  assert.equal(loaded.fromCache, false);
  assert.equal(loaded.exports.area(2, 2), 4);
  loaded.save();
  assert.notEqual(readFileSync(cache, "utf8"), "not a V8 code cache");
});

test("names the cache file by the file's size and the Node version, so a new TypeScript or Node gets its own", () => {
  const path = writeModule("named");
  const before = codeCacheFile(path, dir, "named");
  assert.match(before, new RegExp(`named-\\d+-\\d+-node${process.versions.node.replace(/\./g, "\\.")}-${process.arch}\\.v8cache$`));
  writeFileSync(path, readFileSync(path, "utf8") + "// edited\n");
  assert.notEqual(codeCacheFile(path, dir, "named"), before);
});

test("loads without error when the cache folder cannot be made (a file stands in its path)", () => {
  const path = writeModule("unwritable");
  const blocker = join(dir, "blocker");
  writeFileSync(blocker, "a file, not a folder");
  const loaded = requireWithCodeCache<Shapes>(path, join(blocker, "sub", "unwritable.v8cache"));
  assert.equal(loaded.exports.area(1, 7), 7);
  loaded.save();
  assert.equal(readFileSync(blocker, "utf8"), "a file, not a folder");
});

test("keeps the wrapped source beside the cache and loads from it next time, ASCII or not", () => {
  const path = join(dir, "accents.cjs");
  writeFileSync(path, `module.exports = { word: "café", size: (s) => s.length };\n`);
  const cache = codeCacheFile(path, join(dir, "kept"), "accents");
  const first = requireWithCodeCache<{ word: string; size(s: string): number }>(path, cache);
  assert.equal(first.fromKeptSource, false);
  first.save();
  const kept = readdirSync(join(dir, "kept")).filter((f) => f.endsWith(".wrapped.js"));
  assert.equal(kept.length, 1, "one wrapped copy, named without the Node version");
  assert.ok(!kept[0]!.endsWith(".ascii.wrapped.js"), "not named ASCII: it is read as UTF-8");
  assert.equal(readFileSync(join(dir, "kept", kept[0]!), "utf8"), Module.wrap(readFileSync(path, "utf8")));

  delete require.cache[path];
  const second = requireWithCodeCache<{ word: string; size(s: string): number }>(path, cache);
  assert.deepEqual([second.fromKeptSource, second.fromCache], [true, true]);
  assert.equal(second.exports.word, "café");
  assert.equal(second.exports.size(second.exports.word), 4);
});

test("a kept copy of the wrong length (cut short) is not used, and is written again whole", () => {
  const path = writeModule("cut");
  const cache = codeCacheFile(path, join(dir, "cut"), "cut");
  requireWithCodeCache<Shapes>(path, cache).save();
  const copy = join(dir, "cut", readdirSync(join(dir, "cut")).find((f) => f.endsWith(".wrapped.js"))!);
  assert.ok(copy.endsWith(".ascii.wrapped.js"), "an ASCII source's copy says so in its name (read without a scan)");
  writeFileSync(copy, readFileSync(copy, "utf8").slice(0, 40));
  delete require.cache[path];
  const loaded = requireWithCodeCache<Shapes>(path, cache);
  assert.equal(loaded.fromKeptSource, false);
  assert.equal(loaded.exports.area(6, 7), 42);
  loaded.save();
  assert.equal(readFileSync(copy, "utf8"), Module.wrap(readFileSync(path, "utf8")));
});

test("an ASCII copy kept under the plain name (an older mlnb's) is used, and kept again under the ASCII name", () => {
  const path = writeModule("older");
  const cache = codeCacheFile(path, join(dir, "older"), "older");
  requireWithCodeCache<Shapes>(path, cache).save();
  const ascii = join(dir, "older", readdirSync(join(dir, "older")).find((f) => f.endsWith(".ascii.wrapped.js"))!);
  const plain = ascii.replace(/\.ascii\.wrapped\.js$/, ".wrapped.js");
  writeFileSync(plain, readFileSync(ascii));
  rmSync(ascii);
  delete require.cache[path];
  const loaded = requireWithCodeCache<Shapes>(path, cache);
  assert.deepEqual([loaded.fromKeptSource, loaded.fromCache], [true, true]);
  assert.equal(loaded.exports.area(2, 8), 16);
  loaded.save();
  assert.deepEqual(readdirSync(join(dir, "older")).filter((f) => f.endsWith(".wrapped.js")), [basename(ascii)]);
});
