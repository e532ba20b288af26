// Tests of the outline symbols of mlnb cells: a stage's name, needs, gates and no-cache; params; nothing for plain or broken cells.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cellSymbolOf, symbolDetail, symbolName } from "../../extension/stageSymbols.js";

test("a stage cell gives its name and needs on the magic line, with gates and no-cache in the detail", () => {
  const source = '%%stage evaluate --needs train,features --gate "accuracy>=0.95" --gate "f1>=0.93" --no-cache\nconst m = 1;';
  const symbol = cellSymbolOf(source)!;
  assert.deepEqual(symbol, { kind: "stage", name: "evaluate", needs: ["train", "features"], gates: ["accuracy>=0.95", "f1>=0.93"], noCache: true, line: 0, nameStart: 8, nameEnd: 16 });
  assert.equal(source.slice(symbol.nameStart, symbol.nameEnd), "evaluate");
  assert.equal(symbolName(symbol), "evaluate · needs train, features");
  assert.equal(symbolDetail(symbol), "gate accuracy>=0.95 · gate f1>=0.93 · no cache");
});

test("the stages the kernel's graph found are added to the explicit needs without repeats", () => {
  const symbol = cellSymbolOf("%%stage train --needs clean\nconst model = fit(trainX);", ["features", "clean"])!;
  assert.deepEqual(symbol.needs, ["clean", "features"]);
  assert.equal(symbolName(symbol), "train · needs clean, features");
  assert.equal(symbolDetail(symbol), "");
});

test("a stage after blank lines sits on its own line, and a stage name that is also an option word is found after the magic", () => {
  const symbol = cellSymbolOf("\n\n  %%stage needs\nconst x = 1;")!;
  assert.equal(symbol.line, 2);
  assert.equal(symbol.nameStart, 10);
  assert.equal(symbolName(symbol), "needs");
});

test("a params cell gives a params symbol; plain cells and cells with a bad magic give none", () => {
  assert.deepEqual(cellSymbolOf("%%params\nconst epochs = 3;"), { kind: "params", name: "params", needs: [], gates: [], noCache: false, line: 0, nameStart: 2, nameEnd: 8 });
  assert.equal(cellSymbolOf("const x = 1;\nx"), undefined);
  assert.equal(cellSymbolOf("%%time\nconst x = 1;"), undefined);
  assert.equal(cellSymbolOf('%%stage train --gate "f1 about 0.9"\nconst x = 1;'), undefined);
  assert.equal(cellSymbolOf("%%stag train\nconst x = 1;"), undefined);
});
