// The codec registry with mlnb's own value kinds: fitted transformers and trained models.
//
// The kernel and exported pipeline scripts must encode values identically, or their hashes
// differ: both build their registry here.
import type { Model } from "../ml/train/trained.js";
import type { Transformer } from "../ml/prep/index.js";
import type { Lineage } from "../ml/lineage.js";
import type { ColumnTable } from "arquero";
import { createCodecRegistry, createModelCodec, tableCodec, type CodecRegistry } from "./codecs/index.js";
import { canonicalJson } from "./codecs/canonicalJson.js";
import type { Codec, Json } from "./codecs/types.js";

type TrainedModel = Model;

// The library (and tfjs with it) loads only when a value of its kinds is stored or restored.
const library = () => import("../ml/index.js");
const lineage = () => import("../ml/lineageSummary.js");

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

/**
 * The fitted transformers inside a transformer, in a fixed order: the steps of a pipeline and
 * the groups of a column transformer, recursively; a revived transformer has the same shape.
 */
function fittedParts(t: unknown, out: { fittedOn?: unknown }[] = []): { fittedOn?: unknown }[] {
  const v = t as { steps?: unknown; groups?: unknown };
  if (Array.isArray(v.steps)) for (const step of v.steps) fittedParts(step, out);
  else if (typeof v.groups === "object" && v.groups !== null) {
    for (const group of Object.values(v.groups)) if (Array.isArray(group)) fittedParts(group[1], out);
  } else out.push(t as { fittedOn?: unknown });
  return out;
}

/**
 * A fitted transformer (or pipeline / column transformer): its toJSON(), revived by
 * prep.fromJSON; the lineage each part was fitted on rides beside it (not in its hash), so a
 * restored scaler fitted before the split is still caught when applied to the test partition.
 */
function transformerCodec(): Codec<Transformer> {
  return {
    kind: "transformer",
    accepts: (v): v is Transformer =>
      typeof v === "object" && v !== null && typeof (v as Transformer).transform === "function" && typeof (v as Transformer).fit === "function" && typeof (v as Transformer).toJSON === "function",
    async encode(t) {
      const json = t.toJSON() as { type?: string };
      const out = { shape: typeof json.type === "string" ? json.type : t.constructor.name, parts: [{ name: "value.json", bytes: Buffer.from(canonicalJson(json), "utf8") }] };
      const fits = fittedParts(t).map((p) => p.fittedOn as Lineage | undefined);
      if (!fits.some(Boolean)) return out;
      const { summarizeFit } = await lineage();
      return { ...out, sidecar: { fittedOn: fits.map((f) => (f ? summarizeFit(f) : null)) as unknown as Json } };
    },
    async decode(parts, _meta, sidecar) {
      const ml = await library();
      const t = ml.prep.fromJSON(JSON.parse(new TextDecoder().decode(parts.get("value.json"))));
      const fits = (sidecar as { fittedOn?: unknown } | null | undefined)?.fittedOn;
      const targets = fittedParts(t);
      if (Array.isArray(fits) && fits.length === targets.length) {
        const { restoreFit } = await lineage();
        fits.forEach((f, i) => {
          const lin = f === null ? undefined : restoreFit(f);
          if (lin) targets[i]!.fittedOn = lin;
        });
      }
      return t;
    },
  };
}

/**
 * Tables as the built-in codec stores them (same kind, meta and parts, so the same hash), with
 * their lineage as the sidecar: a restored split partition is still a split partition to the
 * leakage guard.
 */
function lineageTableCodec(): Codec<ColumnTable> {
  return {
    kind: tableCodec.kind,
    accepts: tableCodec.accepts,
    async encode(table) {
      const out = await tableCodec.encode(table);
      if ("opaque" in out) return out;
      const summary = (await lineage()).summarizeLineage(table);
      return summary ? { ...out, sidecar: { lineage: summary as unknown as Json } } : out;
    },
    async decode(parts, meta, sidecar) {
      const table = await tableCodec.decode(parts, meta);
      const summary = (sidecar as { lineage?: unknown } | null | undefined)?.lineage;
      if (summary !== undefined) (await lineage()).restoreLineage(table, summary);
      return table;
    },
  };
}

/** A codec registry knowing tables (with lineage), tfjs models, typed arrays, JSON, transformers and trained models. */
export function createLibraryCodecs(): CodecRegistry {
  const codecs = createCodecRegistry();
  codecs.register(lineageTableCodec());
  codecs.register(trainedModelCodec());
  codecs.register(transformerCodec());
  return codecs;
}
