import { test } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { deploy } from "../../../../kernel/ml/index.js";
import { penguinBundle } from "./penguins.js";

const made = penguinBundle();

test("bundle writes preprocessing, model, schema, reference, metrics and provenance, and nothing else", async () => {
  const { dir } = await made;
  assert.deepEqual((await readdir(dir)).sort(), ["bundle.json", "metrics.json", "model", "preprocess.json", "provenance.json", "reference.json", "schema.json"]);
  assert.deepEqual((await readdir(path.join(dir, "model"))).sort(), ["model.json", "weights.bin"]);
  const leftovers = (await readdir(path.dirname(dir))).filter((f) => f.startsWith("."));
  assert.deepEqual(leftovers, []);
});

test("the schema is inferred from the reference table without the target", async () => {
  const { dir } = await made;
  const schema = JSON.parse(await readFile(path.join(dir, "schema.json"), "utf8"));
  assert.deepEqual(schema.fields.map((f: { name: string }) => f.name), ["Island", "Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)", "Sex"]);
  assert.deepEqual(schema.fields[0], { name: "Island", type: "string", nullable: false, categories: ["Biscoe", "Dream", "Torgersen"] });
  assert.equal(schema.fields[1].type, "number");
  assert.equal(schema.fields[1].nullable, true);
});

test("a loaded bundle predicts exactly what the notebook's pipeline predicts", async () => {
  const { dir, rows, preprocess, model, table } = await made;
  const p = await deploy.load(dir);
  const inputs = rows.map(({ Species: _s, ...rest }) => rest);
  const got = p.predict(inputs);
  const want = model.predict(preprocess.transform(table));
  assert.deepEqual(got.predictions, want);
  assert.deepEqual(got.labels, ["Adelie", "Chinstrap", "Gentoo"]);
  assert.deepEqual(got.probabilities, model.predictProba(preprocess.transform(table)));
  assert.equal(p.reference.rows, rows.length);
  assert.deepEqual(p.reference.summary["Island"], { count: 344, missing: 0, counts: { Biscoe: 168, Dream: 124, Torgersen: 52 } });
  assert.equal(p.reference.summary["Body Mass (g)"].missing, 2);
  assert.equal(p.reference.summary["Body Mass (g)"].min, 2700);
  assert.equal(p.reference.columns["Island"].length, 344);
  assert.deepEqual(p.metrics, { accuracy: 0.97 });
  assert.equal(p.provenance.notebook, "penguins.mlnb");
  assert.match(String(p.provenance.mlnb), /^\d+\.\d+\.\d+/);
  p.dispose();
});

test("bundling again replaces the folder atomically", async () => {
  const { dir, preprocess, model, table } = await made;
  await deploy.bundle(dir, { preprocess, model, reference: table, metrics: { accuracy: 0.5 } });
  assert.deepEqual(JSON.parse(await readFile(path.join(dir, "metrics.json"), "utf8")), { accuracy: 0.5 });
  assert.deepEqual((await readdir(path.dirname(dir))).filter((f) => f.startsWith(".")), []);
});

test("loading a folder that is not a bundle names the missing file", async () => {
  const { dir } = await made;
  await assert.rejects(deploy.load(path.dirname(dir)), /cannot read .*bundle\.json: ENOENT/);
});

test("bundles written to one folder at once, while it is loaded again and again: no write and no load fails, and each load is one whole bundle", async () => {
  const { dir, preprocess, model, table } = await made;
  const target = path.join(path.dirname(dir), "contended");
  await deploy.bundle(target, { preprocess, model, reference: table, metrics: { round: 0 } });
  let writing = true;
  const loads: Promise<number>[] = [];
  for (let reader = 0; reader < 3; reader++) {
    loads.push(
      (async () => {
        let count = 0;
        while (writing) {
          const p = await deploy.load(target);
          // The metrics read belong to the manifest read: one bundle, not parts of two.
          assert.equal(typeof p.metrics.round, "number");
          p.dispose();
          count++;
        }
        return count;
      })(),
    );
  }
  const writes: Promise<unknown>[] = [];
  for (let round = 1; round <= 12; round++) writes.push(deploy.bundle(target, { preprocess, model, reference: table, metrics: { round } }));
  const results = await Promise.allSettled(writes);
  writing = false;
  const counts = await Promise.all(loads);
  assert.deepEqual(results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason)), []);
  assert.ok(counts.every((c) => c > 0), `every reader loaded at least once: ${counts.join(", ")}`);
  const leftovers = (await readdir(path.dirname(target))).filter((f) => f.startsWith(".contended."));
  assert.deepEqual(leftovers, []);
});
