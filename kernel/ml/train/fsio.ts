// A `file://` save/load handler (model.json + weights.bin) for when tfjs-node, which has its own, is absent.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type * as tf from "@tensorflow/tfjs";
import { tfjs } from "../tfjs.js";

// The parts of @tensorflow/tfjs the library uses (see ../tfjs.ts).
const tfApi = tfjs();

const MODEL_JSON = "model.json";
const WEIGHTS_BIN = "weights.bin";

/** Turn a `file://` URL (or a plain path) into the directory holding model.json. */
export function modelDir(url: string): string {
  const p = url.startsWith("file://") ? url.slice("file://".length) : url;
  const abs = path.resolve(p);
  return path.basename(abs) === MODEL_JSON ? path.dirname(abs) : abs;
}

/** An IOHandler that saves to / loads from `dir/model.json` and `dir/weights.bin`. */
export function fileHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new Error(`save ${dir}: binary model topologies are not supported by the file:// handler`);
      }
      await mkdir(dir, { recursive: true });
      const weights = artifacts.weightData === undefined ? new ArrayBuffer(0) : tfApi.io.CompositeArrayBuffer.join(artifacts.weightData);
      const modelJSON: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
      };
      if (artifacts.trainingConfig) modelJSON.trainingConfig = artifacts.trainingConfig;
      if (artifacts.userDefinedMetadata) modelJSON.userDefinedMetadata = artifacts.userDefinedMetadata;
      await writeFile(path.join(dir, WEIGHTS_BIN), new Uint8Array(weights));
      await writeFile(path.join(dir, MODEL_JSON), JSON.stringify(modelJSON));
      return { modelArtifactsInfo: tfApi.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const file = path.join(dir, MODEL_JSON);
      let modelJSON: tf.io.ModelJSON;
      try {
        modelJSON = JSON.parse(await readFile(file, "utf8")) as tf.io.ModelJSON;
      } catch (err) {
        throw new Error(`load ${file}: ${err instanceof Error ? err.message : String(err)}`);
      }
      return tfApi.io.getModelArtifactsForJSON(modelJSON, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const p of group.paths) {
            const bytes = await readFile(path.join(dir, p));
            buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
          }
        }
        return [specs, tfApi.io.CompositeArrayBuffer.join(buffers)];
      });
    },
  };
}

let registered = false;

/** Register the `file://` routers once, and only if no handler (e.g. tfjs-node's) claims file:// already. */
export function registerFileRouter(): void {
  if (registered) return;
  registered = true;
  if (tfApi.io.getSaveHandlers("file://probe").length > 0) return;
  const route = (url: string | string[]) => {
    const u = Array.isArray(url) ? url[0] : url;
    return typeof u === "string" && u.startsWith("file://") ? fileHandler(modelDir(u)) : null;
  };
  // tfjs routers return null for URLs they do not handle, though the declared type omits it
  const router = route as unknown as Parameters<typeof tf.io.registerSaveRouter>[0];
  tfApi.io.registerSaveRouter(router);
  tfApi.io.registerLoadRouter(router);
}
