// train.load: restore a Model saved with `model.save(dir)` (weights, labels, features, history).
import path from "node:path";
import { initTf, tf } from "../tf.js";
import { Model, type ModelMeta } from "./trained.js";

/** Load the model saved in `dir` (model.json + weights.bin); it predicts exactly as when saved. */
export async function load(dir: string): Promise<Model> {
  await initTf();
  const file = path.join(path.resolve(dir), "model.json");
  const network = await tf.loadLayersModel(`file://${file}`);
  const meta = (network.getUserDefinedMetadata() as { mlnb?: ModelMeta } | undefined)?.mlnb;
  if (!meta) {
    network.dispose();
    throw new Error(`train.load ${path.join(dir, "model.json")}: not an mlnb model (no mlnb metadata); load plain tfjs models with tf.loadLayersModel`);
  }
  return new Model(network, meta);
}
