// Where mlnb's own files are, and the modules cells import by name without installing them.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Root of the mlnb package (holds out/ and node_modules/). */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** Modules cells may import by name without installing them: our library and the tslab shim. */
export const BUILTIN_MODULES: Record<string, string> = {
  mlnb: join(PACKAGE_ROOT, "out", "kernel", "ml", "index.js"),
  tslab: join(PACKAGE_ROOT, "out", "kernel", "exec", "tslab.js"),
};

/**
 * Modules that stand in for a package a notebook imports when that package is not installed:
 * tslab's TensorFlow.js notebooks import `@tensorflow/tfjs-node`, whose install downloads
 * libtensorflow (it fails offline); the stand-in is @tensorflow/tfjs (same API apart from
 * `tf.node`) on mlnb's backend, with `file://` save and load.
 */
export const MODULE_STAND_INS: Record<string, string> = {
  "@tensorflow/tfjs-node": join(PACKAGE_ROOT, "out", "kernel", "exec", "tfjsNode.js"),
  "@tensorflow/tfjs-node-gpu": join(PACKAGE_ROOT, "out", "kernel", "exec", "tfjsNode.js"),
};
