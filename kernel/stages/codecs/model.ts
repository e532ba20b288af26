// tfjs LayersModel <-> model.json + weights.bin, through in-memory save/load handlers (no file:// needed).
import { canonicalJson } from "./canonicalJson.js";
import type { Codec } from "./types.js";
import { formatCount } from "../../text/count.js";

/** The part of a tfjs LayersModel the codec uses (duck-typed so this module does not load tfjs). */
interface LayersModelLike {
  layers: unknown[];
  save(handler: { save(artifacts: Artifacts): Promise<unknown> }, config?: unknown): Promise<unknown>;
  predict(...args: unknown[]): unknown;
  getConfig(): unknown;
  countParams(): number;
}

interface Artifacts {
  modelTopology?: unknown;
  weightSpecs?: unknown[];
  weightData?: ArrayBuffer | ArrayBuffer[];
  [key: string]: unknown;
}

interface TfLike {
  loadLayersModel(handler: { load(): Promise<Artifacts> }): Promise<unknown>;
}

function isLayersModel(value: unknown): value is LayersModelLike {
  const v = value as Partial<LayersModelLike> | null;
  return typeof v === "object" && v !== null && Array.isArray(v.layers) && typeof v.save === "function" && typeof v.predict === "function" && typeof v.getConfig === "function";
}

/**
 * A LayersModel codec. `loadTf` gives the tfjs module used to rebuild models; by default the
 * library's tfjs (ml/tfjs.ts: the parts of `@tensorflow/tfjs` it uses), loaded the first time a model is decoded.
 */
export function createModelCodec(loadTf: () => Promise<TfLike> = async () => (await import("../../ml/tfjs.js")).tfjs() as unknown as TfLike): Codec<LayersModelLike> {
  return {
    kind: "model",
    accepts: isLayersModel,
    async encode(model) {
      let saved: Artifacts | undefined;
      await model.save({
        async save(artifacts) {
          saved = artifacts;
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
        },
      });
      if (!saved?.modelTopology || saved.modelTopology instanceof ArrayBuffer) return { opaque: "the model did not save a JSON topology" };
      const { weightData, ...rest } = saved;
      const weights = concat(weightData);
      return {
        shape: `${model.layers.length} layers, ${formatCount(model.countParams())} params`,
        parts: [
          { name: "model.json", bytes: Buffer.from(canonicalJson(rest), "utf8") },
          { name: "weights.bin", bytes: weights },
        ],
      };
    },
    async decode(parts) {
      const json = parts.get("model.json");
      if (!json) throw new Error("model codec: missing part model.json");
      const artifacts = JSON.parse(new TextDecoder().decode(json)) as Artifacts;
      const weights = parts.get("weights.bin") ?? new Uint8Array(0);
      artifacts.weightData = weights.slice().buffer;
      const tf = await loadTf();
      return (await tf.loadLayersModel({ load: async () => artifacts })) as LayersModelLike;
    },
  };
}

function concat(data: ArrayBuffer | ArrayBuffer[] | undefined): Uint8Array {
  if (!data) return new Uint8Array(0);
  const buffers = Array.isArray(data) ? data : [data];
  const out = new Uint8Array(buffers.reduce((n, b) => n + b.byteLength, 0));
  let offset = 0;
  for (const b of buffers) {
    out.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  return out;
}
