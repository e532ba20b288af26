// Child process for the determinism test: prints the hashes of a table and a seeded tfjs model.
import * as aq from "arquero";
import * as tf from "@tensorflow/tfjs";
import { createCodecRegistry, isEncoded } from "../../../kernel/stages/codecs/index.js";

await tf.setBackend("cpu");
const codecs = createCodecRegistry();
const table = aq.table({ id: Array.from({ length: 300 }, (_, i) => `r${i}`), x: Array.from({ length: 300 }, (_, i) => i / 7), g: Array.from({ length: 300 }, (_, i) => ["a", "b"][i % 2]) });
const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }) })] });
model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
await model.fit(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[1, 0, 0], [0, 1, 0]]), { epochs: 2, shuffle: false, verbose: 0 });
const out: Record<string, string> = {};
for (const [name, value] of Object.entries({ table, model, json: { b: 1, a: [1, 2] }, typed: new Float32Array([1, 2]) })) {
  const e = await codecs.encode(value);
  out[name] = isEncoded(e) ? e.hash : `opaque: ${e.reason}`;
}
process.stdout.write(JSON.stringify(out));
