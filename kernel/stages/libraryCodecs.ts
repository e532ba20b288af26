// The codec registry with mlnb's own value kinds: fitted transformers and trained models.
//
// The kernel and exported pipeline scripts must encode values identically, or their hashes
// differ: both build their registry here.
import type { Model } from "../ml/train/trained.js";
import type { Transformer } from "../ml/prep/index.js";
import { createCodecRegistry, createModelCodec, type CodecRegistry } from "./codecs/index.js";
import { canonicalJson } from "./codecs/canonicalJson.js";
import type { Codec } from "./codecs/types.js";

type TrainedModel = Model;

// The library (and tfjs with it) loads only when a value of its kinds is stored or restored.
const library = () => import("../ml/index.js");

/** A trained Model, recognised without loading the library (it is loaded if the value exists). */
function isTrainedModel(v: unknown): v is TrainedModel {
  const m = v as Partial<TrainedModel> | null;
  return typeof m === "object" && m !== null && m.constructor?.name === "Model" && typeof m.predictProba === "function" && typeof m.network === "object";
}

/** A trained `Model`: the network as model.json + weights.bin, plus its metadata as JSON. */
function trainedModelCodec(): Codec<TrainedModel> {
  const network = createModelCodec();
  return {
    kind: "mlnb-model",
    accepts: isTrainedModel,
    async encode(model) {
      const inner = await network.encode(model.network as never);
      if ("opaque" in inner) return inner;
      const meta = { kind: model.kind, task: model.task, target: model.target, features: model.features, labels: model.labels ?? null, history: model.history, seed: model.seed, stoppedEpoch: model.stoppedEpoch ?? null };
      return {
        shape: `${model.kind} → ${model.target} (${inner.shape})`,
        parts: [...inner.parts, { name: "mlnb.json", bytes: Buffer.from(JSON.stringify(meta), "utf8") }],
      };
    },
    async decode(parts) {
      // Loading the library first readies the tfjs backend the network is rebuilt on.
      const ml = await library();
      const net = (await network.decode(parts, {})) as unknown as TrainedModel["network"];
      const meta = JSON.parse(new TextDecoder().decode(parts.get("mlnb.json")));
      return new ml.Model(net, { ...meta, labels: meta.labels ?? undefined, stoppedEpoch: meta.stoppedEpoch ?? undefined });
    },
  };
}

/** A fitted transformer (or pipeline / column transformer): its toJSON(), revived by prep.fromJSON. */
function transformerCodec(): Codec<Transformer> {
  return {
    kind: "transformer",
    accepts: (v): v is Transformer =>
      typeof v === "object" && v !== null && typeof (v as Transformer).transform === "function" && typeof (v as Transformer).fit === "function" && typeof (v as Transformer).toJSON === "function",
    encode(t) {
      const json = t.toJSON() as { type?: string };
      return { shape: typeof json.type === "string" ? json.type : t.constructor.name, parts: [{ name: "value.json", bytes: Buffer.from(canonicalJson(json), "utf8") }] };
    },
    async decode(parts) {
      const ml = await library();
      return ml.prep.fromJSON(JSON.parse(new TextDecoder().decode(parts.get("value.json"))));
    },
  };
}

/** A codec registry knowing tables, tfjs models, typed arrays, JSON, transformers and trained models. */
export function createLibraryCodecs(): CodecRegistry {
  const codecs = createCodecRegistry();
  codecs.register(trainedModelCodec());
  codecs.register(transformerCodec());
  return codecs;
}
