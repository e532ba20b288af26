// The codec registry with mlnb's own value kinds: fitted transformers and trained models.
//
// The kernel and exported pipeline scripts must encode values identically, or their hashes
// differ: both build their registry here.
import * as ml from "../ml/index.js";
import { createCodecRegistry, createModelCodec, type CodecRegistry } from "./codecs/index.js";
import type { Codec } from "./codecs/types.js";

type TrainedModel = InstanceType<typeof ml.Model>;

/** A trained `Model`: the network as model.json + weights.bin, plus its metadata as JSON. */
function trainedModelCodec(): Codec<TrainedModel> {
  const network = createModelCodec();
  return {
    kind: "mlnb-model",
    accepts: (v): v is TrainedModel => v instanceof ml.Model,
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
      const net = (await network.decode(parts, {})) as unknown as TrainedModel["network"];
      const meta = JSON.parse(new TextDecoder().decode(parts.get("mlnb.json")));
      return new ml.Model(net, { ...meta, labels: meta.labels ?? undefined, stoppedEpoch: meta.stoppedEpoch ?? undefined });
    },
  };
}

/** A codec registry knowing tables, tfjs models, typed arrays, JSON, transformers and trained models. */
export function createLibraryCodecs(): CodecRegistry {
  const codecs = createCodecRegistry();
  codecs.register(trainedModelCodec());
  // A fitted transformer is stored as its JSON; prep.fromJSON revives any of them.
  codecs.registerJsonCodec(
    "transformer",
    (v) => typeof (v as { transform?: unknown }).transform === "function" && typeof (v as { fit?: unknown }).fit === "function",
    ml.prep.fromJSON,
  );
  return codecs;
}
