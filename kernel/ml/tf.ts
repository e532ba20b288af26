// Loads TensorFlow.js once and picks its backend: tfjs-node when it loads, wasm by default, cpu last.
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { createRequire } from "node:module";
import path from "node:path";
import { registerFileRouter } from "./train/fsio.js";

export { tf };

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
