// Child process for the crash-safety test: records stage runs with large outputs until it is killed.
import { randomBytes } from "node:crypto";
import { createCodecRegistry } from "../../../kernel/stages/codecs/index.js";
import { openStore } from "../../../kernel/stages/store/index.js";
import { encodeOutput } from "../../../kernel/stages/store/outputs.js";

const dir = process.argv[2];
if (!dir) throw new Error("usage: crashWriter STORE_DIR");
const codecs = createCodecRegistry();
const store = openStore({ dir, codecs });
const run = store.beginRun({ notebook: "crash.mlnb" });
const data = randomBytes(8 << 20);
for (let i = 0; ; i++) {
  // A few new bytes per round make every blob new, without paying for 8 MB of randomness each time.
  randomBytes(16).copy(data, (i * 16) % (data.length - 16));
  // the stage output path: blobs hashed while the thread pool writes them (temp file in blobs/), then the record
  const encoded = await encodeOutput(store.blobs, codecs, new Uint8Array(data.buffer, data.byteOffset, data.length - (i % 4096)));
  store.recordStageRun({ runId: run, stage: "big", codeHash: "c", paramsHash: "p", seed: i, outputs: { big: encoded, small: await codecs.encode({ i }) }, status: "ok", durationMs: 1 });
  if (i === 0) process.stdout.write("ready\n");
}
