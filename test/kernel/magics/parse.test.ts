// Tests of magic parsing: cell and line magics, blanked lines, errors and suggestions.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createMagicRegistry, isMagic, parseMagics, stageOf, type MagicSpec } from "../../../kernel/magics/index.js";

function ok(source: string) {
  const r = parseMagics(source);
  assert.ok(r.ok, `expected ok, got ${JSON.stringify(r.diagnostics)}`);
  return r;
}
function errors(source: string): string[] {
  const r = parseMagics(source);
  assert.equal(r.ok, false, "expected errors");
  return r.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.line}:${d.column} ${d.message}`);
}

test("parses a stage magic with needs, no-cache and a quoted gate", () => {
  const r = ok('%%stage train --needs clean,features --no-cache --gate "f1 >= 0.8"\nconst m = fit(x);');
  const stage = stageOf(r);
  assert.deepEqual(stage, { stage: "train", needs: ["clean", "features"], noCache: true, gates: [{ metric: "f1", op: ">=", value: 0.8, text: "f1 >= 0.8" }] });
  assert.equal(r.code, "\nconst m = fit(x);");
});

test("blanks magic lines so the code keeps its line numbers", () => {
  const source = "%%stage clean\n%seed 42\nconst a = 1;\n%who\nconst b = a + 1;";
  const r = ok(source);
  assert.equal(r.code, "\n\nconst a = 1;\n\nconst b = a + 1;");
  assert.equal(r.code.split("\n").length, source.split("\n").length);
  assert.deepEqual(r.lineMagics.map((m) => [m.name, m.line, m.args]), [["seed", 2, { seed: 42 }], ["who", 4, {}]]);
});

test("suggests the closest known magic for an unknown one", () => {
  assert.deepEqual(errors("%stags"), ["1:1 unknown magic %stags; did you mean %stages?"]);
  assert.deepEqual(errors("%%stgae ingest"), ["1:1 unknown magic %%stgae; did you mean %%stage?"]);
  assert.deepEqual(errors("%stage ingest"), ["1:1 unknown magic %stage; did you mean %%stage?"]);
  assert.deepEqual(errors("%frobnicate"), ["1:1 unknown magic %frobnicate"]);
});

test("names the bad argument of a magic", () => {
  assert.deepEqual(errors("%seed abc"), ['1:1 %seed: argument N must be an integer from 0 to 4294967295, got "abc"']);
  assert.deepEqual(errors("%%stage"), ["1:1 %%stage: missing argument NAME (the stage name)"]);
  assert.deepEqual(errors("%%stage 9lives"), ['1:1 %%stage: argument NAME "9lives" must be letters, digits, _ or - and start with a letter or _']);
  assert.deepEqual(errors("%%stage a --nocache"), ["1:1 %%stage: unknown option --nocache; did you mean --no-cache?"]);
  assert.deepEqual(errors('%%stage a --gate "f1 about 0.8"'), ['1:1 %%stage: --gate "f1 about 0.8" must look like METRIC>=NUMBER (operators >= <= > < == !=)']);
  assert.deepEqual(errors("%%stage a --needs"), ["1:1 %%stage: option --needs needs a value"]);
  assert.deepEqual(errors('%export "unterminated'), ["1:1 %export: unterminated double quote at column 2"]);
  assert.deepEqual(errors("const x = 1;\n  %reset now"), ['2:3 %reset: unexpected argument "now" (%reset takes none)']);
});

test("reports a cell magic that is not on the first line", () => {
  assert.deepEqual(errors("const x = 1;\n%%time"), ["2:1 cell magic %%time must be on the cell's first line"]);
});

test("takes the cell magic from the first non-blank line", () => {
  const r = ok("\n%%params\nconst epochs = 10;");
  assert.ok(isMagic(r.cellMagic, "cell", "params"));
  assert.equal(r.cellMagic.line, 2);
});

test("does not take percent lines inside template strings, blocks or comments for magics", () => {
  const source = [
    "const fmt = `",
    "%d rows",
    "`;",
    "function f() {",
    "%notamagic",
    "}",
    "/*",
    "%seed x",
    "*/",
    "const re = /`/;",
    "%seed 7",
  ].join("\n");
  const r = parseMagics(source);
  assert.ok(r.ok);
  assert.deepEqual(r.lineMagics.map((m) => [m.name, m.line]), [["seed", 11]]);
  assert.equal(r.code.split("\n")[4], "%notamagic");
});

test("keeps the code of %time in place at its own column", () => {
  const r = ok("const a = 1;\n%time const b = slow(a);");
  const m = r.lineMagics[0]!;
  assert.ok(isMagic(m, "line", "time"));
  assert.equal(m.args.code, "const b = slow(a);");
  assert.equal(r.code, "const a = 1;\n      const b = slow(a);");
  assert.deepEqual(errors("%time"), ["1:1 %time: missing argument CODE (the code to time; use %%time to time a whole cell)"]);
});

test("parses quoted export paths and optional arguments", () => {
  assert.deepEqual(ok('%export "out dir/p.ts"').lineMagics[0]!.args, { path: "out dir/p.ts" });
  assert.deepEqual(ok("%export").lineMagics[0]!.args, {});
  assert.deepEqual(ok("%%stage a --needs=b --needs c,b").cellMagic!.args, { stage: "a", needs: ["b", "c"], noCache: false, gates: [] });
});

test("reports every bad magic of a cell, not just the first", () => {
  assert.equal(errors("%stags\n%seed -1\n%whoo").length, 3);
});

test("accepts magics registered by others", () => {
  const registry = createMagicRegistry();
  const shout: MagicSpec<{ words: string[] }> = { name: "shout", kind: "line", summary: "", usage: "%shout WORDS", parse: (words) => ({ ok: true, args: { words } }) };
  registry.register(shout);
  const r = parseMagics("%shout 'hello there' you", registry);
  assert.ok(r.ok);
  assert.deepEqual(r.lineMagics[0]!.args, { words: ["hello there", "you"] });
  assert.throws(() => registry.register(shout), /already registered/);
});

test("fails a gate whose metric is below the threshold or was never logged", async () => {
  const { checkGates, parseGate } = await import("../../../kernel/magics/index.js");
  const gates = [parseGate("f1>=0.8")!, parseGate("loss < 0.5")!];
  assert.deepEqual(checkGates(gates, { f1: 0.8, loss: 0.2 }), []);
  assert.deepEqual(checkGates(gates, { f1: 0.75 }), ["gate f1>=0.8 failed: f1 = 0.75", 'gate loss < 0.5 failed: metric "loss" was not logged (log.metric("loss", value))']);
});
