// The TensorFlow.js API the library uses: tfjs-core, tfjs-layers and the cpu backend, loaded once without the rest of @tensorflow/tfjs.
//
// `@tensorflow/tfjs` is these plus the graph-model converter, tf.data and the WebGL backend (which
// cannot run in Node), in a bundle of its own: loading it costs about a third more than the parts
// mlnb uses, on every kernel that trains or restores a model. The object returned has the same
// names, taken in the same order (core first, then layers), so `tf.X` means what it means in
// `@tensorflow/tfjs`. A notebook that imports `@tensorflow/tfjs` itself gets the whole package,
// over the same tfjs-core (one engine, one backend).
import { createRequire } from "node:module";
import type * as TF from "@tensorflow/tfjs";

let api: typeof TF | undefined;

/**
 * The tfjs API (required, not imported: Node then does not scan the CommonJS bundles for export
 * names). The cpu backend is registered as the last resort; the caller picks the backend.
 */
export function tfjs(): typeof TF {
  if (api) return api;
  const require = createRequire(import.meta.url);
  const parts = [require("@tensorflow/tfjs-core"), require("@tensorflow/tfjs-layers")] as Record<string, unknown>[];
  require("@tensorflow/tfjs-backend-cpu");
  const out: Record<string, unknown> = {};
  for (const part of parts) {
    for (const name of Object.keys(part)) {
      if (name !== "default" && !(name in out)) Object.defineProperty(out, name, { enumerable: true, get: () => part[name] });
    }
  }
  return (api = out as unknown as typeof TF);
}
