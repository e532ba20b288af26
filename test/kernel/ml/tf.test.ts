// TensorFlow.js backend choice (wasm by default, MLNB_BACKEND forcing) and the file:// handler registration.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { initTf, tf } from "../../../kernel/ml/tf.js";
import { registerFileRouter } from "../../../kernel/ml/train/fsio.js";

const run = promisify(execFile);
const TF_JS = fileURLToPath(new URL("../../../kernel/ml/tf.js", import.meta.url));

/** The backend a fresh process picks under the given MLNB_BACKEND (each process initialises once). */
async function backendIn(env: string | undefined): Promise<string> {
  const script = `import(${JSON.stringify(TF_JS)}).then((m) => m.initTf()).then((b) => console.log(b), (e) => console.log("ERR " + e.message))`;
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { env: { ...process.env, MLNB_BACKEND: env ?? "" } });
  return stdout.trim().split("\n").pop()!;
}

describe("tf backend", () => {
  it("picks wasm when tfjs-node is not installed", async () => {
    assert.equal(await backendIn(undefined), "wasm");
  });

  it("uses the backend MLNB_BACKEND forces", async () => {
    assert.equal(await backendIn("cpu"), "cpu");
  });

  it("fails with a message naming MLNB_BACKEND when the forced backend cannot load", async () => {
    const out = await backendIn("tensorflow");
    assert.match(out, /^ERR (MLNB_BACKEND=tensorflow: the backend did not load|.*)/);
    if (!out.startsWith("ERR")) assert.equal(out, "tensorflow"); // tfjs-node is installed here
  });

  it("registers one file:// handler when none exists, and never a second", async () => {
    await initTf();
    assert.equal(tf.io.getSaveHandlers("file:///tmp/m").length, 1);
    registerFileRouter();
    assert.equal(tf.io.getLoadHandlers("file:///tmp/m/model.json").length, 1);
  });
});
