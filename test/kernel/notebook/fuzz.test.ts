// Seeded fuzz of the .mlnb parser and serializer: only NotebookFormatError with line and column, stable round trips, any depth, __proto__ kept.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { NotebookFormatError, parseNotebook, serializeNotebook, type Notebook } from "../../../kernel/notebook/format.js";
import { mulberry32 } from "../../../kernel/ml/context.js";

const examples = ["cars", "penguins", "seattle-weather"].map((n) => readFileSync(`notebooks/${n}.mlnb`, "utf8"));
const ODD_KEYS = ["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty", "kind", "cells", "outputs", "data", "text/plain", "ename", ""];
const PIECES = ['{', '}', '[', ']', ',', ':', '"', '\\', '\\u12', '\\ud800', 'null', 'true', '-', '1e999', '0.5', ' ', '\n', '"__proto__"', '{"toString": 1}', '\u2028', '😀'];

/** A random JSON-able value, with odd keys and types where the format expects strings and arrays. */
function randomValue(r: () => number, depth: number): unknown {
  const k = Math.floor(r() * (depth > 3 ? 5 : 8));
  switch (k) {
    case 0: return null;
    case 1: return r() < 0.5;
    case 2: return [0, -0, 1.5, 1e308, -7, 2 ** 53][Math.floor(r() * 6)];
    case 3: return ["", "x", "a\nb", "\u0000", "😀", "__proto__", "\ud800"][Math.floor(r() * 7)];
    case 4: return ODD_KEYS[Math.floor(r() * ODD_KEYS.length)];
    case 5: return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(r() * 4); i > 0; i--) Object.defineProperty(o, ODD_KEYS[Math.floor(r() * ODD_KEYS.length)]!, { value: randomValue(r, depth + 1), enumerable: true, writable: true, configurable: true });
      return o;
    }
  }
}

/** A structurally random notebook document (valid JSON, often not a valid notebook). */
function randomDocument(r: () => number): string {
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  const output = (): unknown => r() < 0.3 ? randomValue(r, 0) : {
    output_type: pick(["stream", "display_data", "execute_result", "error", "other", undefined, 3]),
    name: pick(["stdout", "stderr", 1]), text: pick([["a", "b"], "s", 5, [1], undefined]),
    data: pick([{ "text/plain": ["x"], "application/json": randomValue(r, 0) }, randomValue(r, 0), undefined]),
    ename: pick(["E", { toString: 1 }, [1, 2], null, 7, { __proto__: null, x: 1 } as unknown]), evalue: randomValue(r, 0), traceback: pick([["t"], [{ toString: 1 }], "t", undefined]),
    metadata: randomValue(r, 0),
  };
  const cell = (): unknown => r() < 0.15 ? randomValue(r, 0) : {
    kind: pick(["code", "markdown", "raw", undefined, 0]), language: pick(["typescript", 3, undefined]),
    source: pick([["a", "b"], "s", [1], { toString: 1 }, undefined]), executionCount: pick([1, null, "2"]),
    metadata: randomValue(r, 0), outputs: r() < 0.1 ? randomValue(r, 0) : Array.from({ length: Math.floor(r() * 3) }, output),
  };
  const doc: Record<string, unknown> = { mlnb: pick([1, 1, 1, 2, "1", undefined]), metadata: randomValue(r, 0), cells: r() < 0.1 ? randomValue(r, 0) : Array.from({ length: Math.floor(r() * 4) }, cell) };
  if (r() < 0.2) Object.defineProperty(doc, "__proto__", { value: randomValue(r, 0), enumerable: true });
  return JSON.stringify(doc, null, r() < 0.5 ? 2 : 0);
}

/** A byte-level mutation of an example notebook: edits, insertions, deletions, truncation. */
function mutate(r: () => number, text: string): string {
  let t = text;
  for (let n = 1 + Math.floor(r() * 4); n > 0; n--) {
    const at = Math.floor(r() * (t.length + 1));
    const op = Math.floor(r() * 4);
    if (op === 0) t = t.slice(0, at) + PIECES[Math.floor(r() * PIECES.length)] + t.slice(at);
    else if (op === 1) t = t.slice(0, at) + t.slice(at + 1 + Math.floor(r() * 20));
    else if (op === 2) t = t.slice(0, at);
    else t = t.slice(0, at) + String.fromCharCode(Math.floor(r() * 128)) + t.slice(at + 1);
  }
  return t;
}

/** A deeply nested text: valid, cut off, or with a bad token at the bottom. */
function deep(r: () => number): string {
  const depth = 5_000 + Math.floor(r() * 45_000);
  const open = r() < 0.5 ? "[" : '{"a":';
  const close = open === "[" ? "]" : "}";
  const inner = r() < 0.5 ? "1" : "tru";
  const body = open.repeat(depth) + inner + (r() < 0.7 ? close.repeat(depth) : "");
  return r() < 0.5 ? `{"mlnb": 1, "metadata": ${body}, "cells": []}` : `{"mlnb": 1, "cells": [{"kind": "code", "source": [], "metadata": ${body}, "outputs": [{"output_type": "error", "ename": ${body}}]}]}`;
}

test("parses or reports NotebookFormatError with a line and column for 12,000 seeded inputs, and re-saves every parsed one", () => {
  const r = mulberry32(16);
  const counts = { parsed: 0, rejected: 0, deep: 0 };
  for (let n = 0; n < 12_000; n++) {
    const kind = n % 100 === 99 ? "deep" : n % 2 ? "mutated" : "structural";
    const text = kind === "deep" ? deep(r) : kind === "mutated" ? mutate(r, examples[n % examples.length]!) : randomDocument(r);
    if (kind === "deep") counts.deep++;
    let nb: Notebook;
    try {
      nb = parseNotebook(text, "fuzz.mlnb");
    } catch (e) {
      if (!(e instanceof NotebookFormatError)) assert.fail(`input ${n} (${kind}) threw ${(e as Error)?.name}: ${(e as Error)?.message}\n${text.slice(0, 300)}`);
      assert.ok(Number.isInteger(e.line) && e.line! >= 1 && Number.isInteger(e.column) && e.column! >= 1, `input ${n}: no line/column in ${e.message}`);
      assert.match(e.message, new RegExp(`^fuzz\\.mlnb:${e.line}:${e.column}: `));
      counts.rejected++;
      continue;
    }
    counts.parsed++;
    let saved: string;
    try {
      saved = serializeNotebook(nb);
    } catch (e) {
      assert.fail(`input ${n} (${kind}) parsed but did not save: ${(e as Error)?.name}: ${(e as Error)?.message}\n${text.slice(0, 300)}`);
    }
    assert.equal(serializeNotebook(parseNotebook(saved, "saved.mlnb")), saved, `input ${n}: a saved notebook re-saves to the same bytes`);
  }
  // the generators reach both outcomes and the deep cases
  assert.ok(counts.parsed > 1000 && counts.rejected > 1000 && counts.deep === 120, JSON.stringify(counts));
});

test("keeps __proto__ and other odd keys through parse and save", () => {
  const text = '{"mlnb": 1, "metadata": {"__proto__": {"polluted": true}, "constructor": 1}, "cells": [{"kind": "code", "source": [], "metadata": {"__proto__": 2}, ' +
    '"outputs": [{"output_type": "display_data", "metadata": {}, "data": {"__proto__": ["x"], "text/plain": ["y"]}}]}]}';
  const nb = parseNotebook(text);
  const saved = serializeNotebook(nb);
  const back = JSON.parse(saved);
  assert.deepEqual(Object.keys(back.metadata), ["__proto__", "constructor"]);
  assert.deepEqual(Object.getOwnPropertyDescriptor(back.metadata, "__proto__")!.value, { polluted: true });
  assert.equal(Object.getOwnPropertyDescriptor(back.cells[0].metadata, "__proto__")!.value, 2);
  assert.deepEqual(Object.keys(back.cells[0].outputs[0].data), ["__proto__", "text/plain"]);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test("saves and re-reads metadata nested 200,000 deep", () => {
  let metadata: Record<string, unknown> = { leaf: 1 };
  for (let i = 0; i < 200_000; i++) metadata = { a: metadata };
  const saved = serializeNotebook({ metadata, cells: [] });
  assert.ok(saved.length > 200_000 * 4);
  const back = parseNotebook(saved);
  let m = back.metadata, depth = 0;
  while (m.a) { m = m.a as Record<string, unknown>; depth++; }
  assert.deepEqual([depth, m.leaf], [200_000, 1]);
});

test("reports a cycle in the model as NotebookFormatError naming the path", () => {
  const metadata: Record<string, unknown> = { x: { y: [1] } };
  ((metadata.x as Record<string, unknown>).y as unknown[]).push(metadata);
  assert.throws(() => serializeNotebook({ metadata, cells: [] }), (e: unknown) => e instanceof NotebookFormatError && /metadata\.x\.y\[1\]: refers to itself/.test(e.message));
});

test("gives line and column for structural errors, pointing at the value or the object missing a key", () => {
  const text = '{\n  "mlnb": 1,\n  "cells": [\n    {"kind": "code", "outputs": [\n      {"output_type": "nope"}\n    ]}\n  ]\n}';
  assert.throws(() => parseNotebook(text, "s.mlnb"), (e: unknown) => e instanceof NotebookFormatError && e.line === 5 && e.column === 23 && /^s\.mlnb:5:23: cells\[0\]\.outputs\[0\]\.output_type: unknown output type "nope"$/.test(e.message));
  assert.throws(() => parseNotebook('{\n  "cells": []\n}', "s.mlnb"), (e: unknown) => e instanceof NotebookFormatError && e.line === 1 && e.column === 1 && /mlnb: missing format version/.test(e.message));
});
