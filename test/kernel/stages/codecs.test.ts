// Tests of value codecs: round trips (tables equal, models predict the same, JSON deep-equal), hashes, opaque reasons.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as aq from "arquero";
import * as tf from "@tensorflow/tfjs";
import { canonicalJson, createCodecRegistry, isEncoded, KIND, type Encoding, type EncodedValue } from "../../../kernel/stages/codecs/index.js";

const codecs = createCodecRegistry();

async function roundTrip(value: unknown): Promise<{ encoded: EncodedValue; back: unknown }> {
  const encoded = await codecs.encode(value);
  assert.ok(isEncoded(encoded), `expected an encodable value, got ${JSON.stringify(encoded)}`);
  return { encoded, back: await codecs.decode(encoded) };
}

test("round trips an arquero table through Arrow IPC with equal rows", async () => {
  const table = aq.table({ species: ["Adelie", "Gentoo", null], bill: [39.1, 47.5, 40.3], count: [1, 2, 3], ok: [true, false, true] });
  const { encoded, back } = await roundTrip(table);
  assert.equal(encoded.kind, "table");
  assert.equal(encoded.shape, "3×4");
  assert.deepEqual(encoded.parts.map((p) => p.name), ["table.arrow"]);
  const t = back as aq.ColumnTable;
  assert.deepEqual(t.columnNames(), ["species", "bill", "count", "ok"]);
  assert.deepEqual(t.objects(), table.objects());
});

test("stores the visible rows of a filtered, ordered table and keeps its grouping", async () => {
  const table = aq.table({ g: ["a", "b", "a", "b"], v: [4, 3, 2, 1] }).filter((d: { v: number }) => d.v > 1).orderby("v").groupby("g");
  const { encoded, back } = await roundTrip(table);
  assert.deepEqual(encoded.meta, { groupby: ["g"] });
  const t = back as aq.ColumnTable;
  assert.deepEqual(t.objects(), [{ g: "a", v: 2 }, { g: "b", v: 3 }, { g: "a", v: 4 }]);
  assert.deepEqual(t.groups().names, ["g"]);
});

test("gives equal tables equal hashes and different tables different hashes", async () => {
  const a = (await codecs.encode(aq.table({ x: [1, 2, 3] }))) as EncodedValue;
  const b = (await codecs.encode(aq.table({ x: [1, 2, 3] }))) as EncodedValue;
  const c = (await codecs.encode(aq.table({ x: [1, 2, 4] }))) as EncodedValue;
  assert.equal(a.hash, b.hash);
  assert.notEqual(a.hash, c.hash);
  assert.match(a.hash, /^[0-9a-f]{64}$/);
});

test("round trips a tfjs model that predicts the same", async () => {
  await tf.setBackend("cpu");
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [3], units: 4, activation: "relu", kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }));
  model.add(tf.layers.dense({ units: 2, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }));
  model.compile({ optimizer: "adam", loss: "categoricalCrossentropy" });
  const { encoded, back } = await roundTrip(model);
  assert.equal(encoded.kind, "model");
  assert.equal(encoded.shape, "2 layers, 26 params");
  assert.deepEqual(encoded.parts.map((p) => [p.name, p.name === "weights.bin" ? p.bytes.byteLength : "json"]), [["model.json", "json"], ["weights.bin", 26 * 4]]);
  const x = tf.tensor2d([[1, 2, 3], [-1, 0.5, 2]]);
  const expected = (model.predict(x) as tf.Tensor).arraySync();
  const actual = ((back as tf.LayersModel).predict(x) as tf.Tensor).arraySync();
  assert.deepEqual(actual, expected);
  const again = (await codecs.encode(back)) as EncodedValue;
  assert.equal(again.partHashes[1], encoded.partHashes[1], "the restored weights are byte-identical");
});

test("round trips JSON-able values deep-equal, with keys in canonical order", async () => {
  const value = { b: [1, 2.5, "x", null, true], a: { z: 1, y: { nested: [] } }, "key with space": -3 };
  const { encoded, back } = await roundTrip(value);
  assert.equal(encoded.kind, "json");
  assert.deepEqual(back, value);
  assert.equal(new TextDecoder().decode(encoded.parts[0]!.bytes), '{"a":{"y":{"nested":[]},"z":1},"b":[1,2.5,"x",null,true],"key with space":-3}');
  const reordered = (await codecs.encode({ "key with space": -3, a: { y: { nested: [] }, z: 1 }, b: [1, 2.5, "x", null, true] })) as EncodedValue;
  assert.equal(reordered.hash, encoded.hash);
  assert.deepEqual((await roundTrip(42)).back, 42);
  assert.deepEqual((await roundTrip("text")).back, "text");
  assert.equal((await roundTrip(undefined)).back, undefined);
});

test("round trips typed arrays keeping their element type", async () => {
  const base = new Float64Array([0, 1.5, -2, 3e10, 7]);
  const view = new Float64Array(base.buffer, 8, 3);
  const { encoded, back } = await roundTrip(view);
  assert.equal(encoded.shape, "Float64Array[3]");
  assert.ok(back instanceof Float64Array);
  assert.deepEqual([...(back as Float64Array)], [1.5, -2, 3e10]);
  const ints = await roundTrip(new Int32Array([-1, 2, 2147483647]));
  assert.deepEqual(ints.back, new Int32Array([-1, 2, 2147483647]));
  const f32 = (await codecs.encode(new Float32Array([1, 2]))) as EncodedValue;
  const i32 = (await codecs.encode(new Int32Array(new Float32Array([1, 2]).buffer))) as EncodedValue;
  assert.notEqual(f32.hash, i32.hash, "same bytes, different types, different hashes");
});

test("says why a value is opaque", async () => {
  class Foo {
    x = 1;
  }
  const reasons = async (v: unknown) => {
    const e: Encoding = await codecs.encode(v);
    return isEncoded(e) ? "encoded" : e.reason;
  };
  assert.equal(await reasons(() => 1), "value is a function");
  assert.equal(await reasons(new Map([[1, 2]])), "value is a Map(1), which has no codec");
  assert.equal(await reasons(new Foo()), "value is an instance of Foo, which has no codec");
  assert.equal(await reasons({ rows: [1, NaN] }), "value.rows[1] is NaN (JSON has no NaN)");
  assert.equal(await reasons({ when: new Date(0) }), "value.when is an instance of Date, which has no codec");
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.equal(await reasons(cyclic), "value.self refers back to itself (a cycle)");
});

test("handles values with toJSON and a registered kind tag generically", async () => {
  class Scaler {
    readonly kind = "standard-scaler";
    constructor(readonly mean: number[], readonly std: number[]) {}
    toJSON() {
      return { mean: this.mean, std: this.std };
    }
    static fromJSON(j: { mean: number[]; std: number[] }) {
      return new Scaler(j.mean, j.std);
    }
  }
  class Tagged {
    [KIND] = "tagged";
    toJSON() {
      return { v: 1 };
    }
  }
  const registry = createCodecRegistry();
  assert.equal((await registry.encode(new Scaler([1], [2]))).kind, "opaque", "unknown kinds stay opaque");
  registry.registerJsonKind("standard-scaler", Scaler.fromJSON);
  registry.registerJsonKind("tagged", () => new Tagged());
  const encoded = (await registry.encode(new Scaler([1, 2], [0.5, 0.25]))) as EncodedValue;
  assert.equal(encoded.kind, "json:standard-scaler");
  const back = (await registry.decode(encoded)) as Scaler;
  assert.ok(back instanceof Scaler);
  assert.deepEqual(back.toJSON(), { mean: [1, 2], std: [0.5, 0.25] });
  assert.equal((await registry.encode(new Tagged())).kind, "json:tagged");
});

test("handles a family of classes sharing one reviver", async () => {
  class Base {
    constructor(readonly type: string, readonly state: number[]) {}
    toJSON() {
      return { type: this.type, state: this.state };
    }
  }
  const revive = (j: { type: string; state: number[] }) => new Base(j.type, j.state);
  const registry = createCodecRegistry();
  registry.registerJsonCodec("transformer", (v) => v instanceof Base, revive);
  const encoded = (await registry.encode(new Base("MinMaxScaler", [0, 10]))) as EncodedValue;
  assert.deepEqual([encoded.kind, encoded.shape], ["json:transformer", "MinMaxScaler"]);
  const back = (await registry.decode(encoded)) as Base;
  assert.ok(back instanceof Base);
  assert.deepEqual(back.toJSON(), { type: "MinMaxScaler", state: [0, 10] });
  assert.equal((await registry.encode({ type: "x", state: [] })).kind, "json", "plain objects are not the family");
});

test("asks registered codecs before the built-in ones", async () => {
  const registry = createCodecRegistry();
  registry.register({
    kind: "set",
    accepts: (v): v is Set<unknown> => v instanceof Set,
    encode: (s: Set<unknown>) => ({ shape: `Set(${s.size})`, parts: [{ name: "items.json", bytes: Buffer.from(canonicalJson([...s])) }] }),
    decode: (parts) => new Set(JSON.parse(new TextDecoder().decode(parts.get("items.json"))) as unknown[]),
  });
  const encoded = await registry.encode(new Set([1, 2]));
  assert.equal(encoded.kind, "set");
  assert.deepEqual(await registry.decode(encoded as EncodedValue), new Set([1, 2]));
});

test("round trips a table with many distinct strings and a categorical column", async () => {
  const n = 500;
  const table = aq.table({ id: Array.from({ length: n }, (_, i) => `row-${i}`), species: Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : ["Adelie", "Gentoo"][i % 2]!)) });
  const { back } = await roundTrip(table.filter((d: { id: string }) => d.id !== "row-3"));
  const t = back as aq.ColumnTable;
  assert.equal(t.numRows(), n - 1);
  assert.deepEqual(t.objects(), table.filter((d: { id: string }) => d.id !== "row-3").objects());
});

test("gives identical hashes for the same table and seeded model in two fresh processes", async () => {
  const { execFileSync } = await import("node:child_process");
  const script = new URL("./hashWriter.js", import.meta.url).pathname;
  const run = () => JSON.parse(execFileSync(process.execPath, [script], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })) as Record<string, string>;
  const first = run();
  const second = run();
  assert.deepEqual(Object.keys(first), ["table", "model", "json", "typed"]);
  for (const h of Object.values(first)) assert.match(h, /^[0-9a-f]{64}$/);
  assert.deepEqual(second, first);
});
