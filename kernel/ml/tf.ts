// Loads TensorFlow.js once and picks its backend: tfjs-node when it loads, wasm by default, cpu last.
import type * as TF from "@tensorflow/tfjs";
import type * as TfWasm from "@tensorflow/tfjs-backend-wasm";
import { createRequire } from "node:module";
import path from "node:path";
import { registerFileRouter } from "./train/fsio.js";
import { tfjs } from "./tfjs.js";

// `require`, not `import`: an ES import of these CommonJS bundles makes Node scan them, and every
// package they re-export, for export names (about half a second of a kernel's start). The parts
// of @tensorflow/tfjs the library uses, not the whole package (see tfjs.ts).
export const tf = tfjs();
const { setWasmPaths } = createRequire(import.meta.url)("@tensorflow/tfjs-backend-wasm") as typeof TfWasm;

/** The tfjs types the library names as `tf.X` (a value loaded with `require` carries no namespace of types). */
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace tf {
  type Tensor<R extends TF.Rank = TF.Rank> = TF.Tensor<R>;
  type Scalar = TF.Scalar;
  type Variable<R extends TF.Rank = TF.Rank> = TF.Variable<R>;
  type LayersModel = TF.LayersModel;
  type Sequential = TF.Sequential;
  type Optimizer = TF.Optimizer;
  type Tensor1D = TF.Tensor1D;
  type Tensor2D = TF.Tensor2D;
  type GradSaveFunc = TF.GradSaveFunc;
  namespace io {
    type IOHandler = TF.io.IOHandler;
    type ModelArtifacts = TF.io.ModelArtifacts;
    type ModelJSON = TF.io.ModelJSON;
    type SaveResult = TF.io.SaveResult;
    type WeightsManifestEntry = TF.io.WeightsManifestEntry;
  }
}


/** The backends mlnb knows, in the order of preference when nothing is forced. */
export type BackendName = "tensorflow" | "wasm" | "cpu";

const BACKENDS: readonly BackendName[] = ["tensorflow", "wasm", "cpu"];

let ready: Promise<BackendName> | undefined;

/**
 * Initialise TensorFlow.js once (later calls share the first promise) and return the backend in use.
 * `MLNB_BACKEND=cpu|wasm|tensorflow` forces one; forcing a backend that cannot load is an error.
 */
export function initTf(): Promise<BackendName> {
  ready ??= pickBackend().then((name) => {
    registerFileRouter();
    return name;
  });
  return ready;
}

/** The backend TensorFlow.js is running on ("wasm", "cpu", "tensorflow"), or undefined before `initTf`. */
export function backendName(): BackendName | undefined {
  const name = tf.getBackend();
  return (BACKENDS as readonly string[]).includes(name) ? (name as BackendName) : undefined;
}

async function pickBackend(): Promise<BackendName> {
  const forced = process.env.MLNB_BACKEND?.trim();
  if (forced) {
    if (!(BACKENDS as readonly string[]).includes(forced)) {
      throw new Error(`MLNB_BACKEND=${forced}: expected one of ${BACKENDS.join(", ")}`);
    }
    const name = forced as BackendName;
    const why = await tryBackend(name);
    if (why) throw new Error(`MLNB_BACKEND=${name}: the backend did not load (${why})`);
    return name;
  }
  for (const name of BACKENDS) {
    if (!(await tryBackend(name))) return name;
  }
  throw new Error("TensorFlow.js: no backend loaded (tried tensorflow, wasm, cpu)");
}

/** Switch to one backend; returns why it failed, or undefined on success. */
async function tryBackend(name: BackendName): Promise<string | undefined> {
  try {
    if (name === "tensorflow") {
      // A variable specifier keeps tsc from requiring the optional package at build time.
      const specifier = "@tensorflow/tfjs-node";
      await import(specifier);
      if (!tf.findBackendFactory("tensorflow")) return "tfjs-node loaded but registered no backend with this tfjs";
    } else if (name === "wasm") {
      setWasmPaths(wasmDir());
    }
    const ok = await tf.setBackend(name);
    if (!ok) return "setBackend returned false";
    await tf.ready();
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message.split("\n")[0] : String(err);
  }
}

/** The package's dist folder, where the .wasm binaries live (Node has no page URL to resolve them from). */
function wasmDir(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve("@tensorflow/tfjs-backend-wasm/package.json");
  return path.join(path.dirname(pkg), "dist") + path.sep;
}

// Importing the wasm backend registers it as tfjs's preferred backend before it can run: code
// that uses tf right after `import ... from "mlnb"` would fail ("backend 'wasm' has not yet been
// initialized"). Initialising here, with top-level await, makes the import itself wait for it.
await initTf();
