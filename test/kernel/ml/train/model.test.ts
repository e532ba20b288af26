// A trained Model's life cycle: save/load round trip, tensor accounting on dispose, progress display.
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { train } from "../../../../kernel/ml/train/index.js";
import { tf } from "../../../../kernel/ml/tf.js";
import { withContext } from "../../../../kernel/ml/context.js";
import { createLibraryCodecs } from "../../../../kernel/stages/libraryCodecs.js";
import { isEncoded } from "../../../../kernel/stages/codecs/index.js";
import type { Model } from "../../../../kernel/ml/train/trained.js";
import { blobs, recordingContext } from "./data.js";

/** model.json text as mlnb stored it before layers were named by position: tfjs's per-thread counter names. */
function counterNames(json: string): string {
  return json.replaceAll("mlnb_dense_0", "dense_Dense7").replaceAll("mlnb_dropout_0", "dropout_Dropout3").replaceAll("mlnb_dense_1", "dense_Dense8").replaceAll("\"mlnb_dense\"", "\"sequential_4\"");
}

describe("Model", () => {
  before(async () => { await train.ready(); });

  it("restores a saved model that predicts exactly as before, with its labels and history", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "mlnb-model-"));
    try {
      const t = blobs();
      const m = await train.mlpClassifier(t, { target: "label", layers: [6, 4], dropout: 0.1, epochs: 3, seed: 3, progress: false });
      await m.save(dir);
      assert.deepEqual((await readdir(dir)).sort(), ["model.json", "weights.bin"]);
      const back = await train.load(dir);
      assert.deepEqual(back.predictProba(t), m.predictProba(t));
      assert.deepEqual(back.predict(t), m.predict(t));
      assert.equal(back.kind, "mlpClassifier");
      assert.deepEqual(back.labels, ["left", "right"]);
      assert.deepEqual(back.features, ["x1", "x2"]);
      assert.equal(back.target, "label");
      assert.deepEqual(back.history, m.history);
      m.dispose();
      back.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("saves and restores a user-built network trained with train.model", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "mlnb-model-"));
    try {
      const t = blobs();
      const net = tf.sequential({ layers: [tf.layers.dense({ units: 3, activation: "tanh", inputShape: [2] }), tf.layers.dropout({ rate: 0.1 }), tf.layers.dense({ units: 2, activation: "softmax" })] });
      const m = await train.model(net, t, { target: "label", task: "classification", epochs: 2, seed: 1, progress: false });
      await m.save(dir);
      const back = await train.load(dir);
      assert.equal(back.kind, "model");
      assert.deepEqual(back.predictProba(t), m.predictProba(t));
      m.dispose();
      back.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("loads a model saved with tfjs's counter layer names, from a folder and from the run store", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "mlnb-model-"));
    try {
      const t = blobs();
      const m = await train.mlpClassifier(t, { target: "label", layers: [5], dropout: 0.1, epochs: 2, seed: 8, progress: false });
      await m.save(dir);
      const file = path.join(dir, "model.json");
      const old = counterNames(await readFile(file, "utf8"));
      assert.match(old, /"dense_Dense7\/kernel"/);
      assert.doesNotMatch(old, /mlnb_dense/);
      await writeFile(file, old);
      const back = await train.load(dir);
      assert.deepEqual(back.network.layers.map((l) => l.name), ["dense_Dense7", "dropout_Dropout3", "dense_Dense8"]);
      assert.deepEqual(back.predictProba(t), m.predictProba(t));

      const codecs = createLibraryCodecs();
      const e = await codecs.encode(m);
      assert.ok(isEncoded(e));
      const parts = new Map(e.parts.map((p) => [p.name, p.name === "model.json" ? Buffer.from(counterNames(Buffer.from(p.bytes).toString("utf8"))) : p.bytes]));
      const restored = (await codecs.decode({ kind: e.kind, meta: e.meta, parts })) as Model;
      assert.equal(restored.network.layers[0]!.name, "dense_Dense7");
      assert.deepEqual(restored.predictProba(t), m.predictProba(t));
      for (const x of [m, back, restored]) x.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("explains that a directory without an mlnb model cannot be loaded", async () => {
    await assert.rejects(train.load(path.join(tmpdir(), "mlnb-no-such-model")), /model\.json/);
  });

  for (const engine of ["auto", "autograd"] as const) {
    it(`frees every tensor of the network and of its Adam optimiser on dispose (engine ${engine})`, async () => {
      const before = tf.memory().numTensors;
      const m = await train.mlpClassifier(blobs(), { target: "label", layers: [8], dropout: 0.1, epochs: 2, optimizer: "adam", seed: 1, progress: false, engine, validationSplit: 0.2, earlyStopping: true });
      assert.ok(tf.memory().numTensors > before);
      m.predict(blobs());
      m.dispose();
      assert.equal(tf.memory().numTensors, before);
      assert.throws(() => m.predict(blobs()), /was disposed/);
    });
  }

  it("updates one display in place every epoch and ends with a vega-lite loss chart", async () => {
    const ctx = recordingContext(5);
    const m = await withContext(ctx, () => train.mlpClassifier(blobs(), { target: "label", layers: [4], epochs: 3 }));
    m.dispose();
    const progress = ctx.shown.filter((s) => s.id !== undefined);
    assert.ok(progress.length >= 1);
    assert.equal(new Set(progress.map((s) => s.id)).size, 1, "one displayId for the whole run");
    const last = progress[progress.length - 1].data["text/plain"] as string;
    assert.match(last, /epoch 3\/3 {2}loss \d\.\d{4} {2}acc \d\.\d{4}$/);
    const chart = ctx.shown[ctx.shown.length - 1].data["application/vnd.vegalite.v5+json"] as { data: { values: { epoch: number; metric: string }[] } };
    assert.ok(chart, "a loss chart at the end");
    assert.deepEqual(chart.data.values.filter((v) => v.metric === "loss").map((v) => v.epoch), [1, 2, 3]);
  });
});
