// Tests of the stage executor's restore path when a stored value lost its bytes: the stage runs again and its blob is written whole.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, truncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { createCodecRegistry } from "../../../kernel/stages/codecs/index.js";
import { executeStage, type StageHost, type StageSpec } from "../../../kernel/stages/executor.js";
import { openStore } from "../../../kernel/stages/store/index.js";

const dir = mkdtempSync(join(tmpdir(), "mlnb-executor-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const spec: StageSpec = { name: "make", codeHash: "code-1", seed: 1, params: [], inputs: [], gates: [] };

/** A host whose stage makes `values` (counting its runs) and whose install keeps what a restore gives. */
function host(store: ReturnType<typeof openStore>) {
  const held: { runs: number; installed?: Record<string, unknown> } = { runs: 0 };
  const h: StageHost = {
    store,
    codecs: createCodecRegistry(),
    runId: store.beginRun({ notebook: "t.mlnb", seed: 1 }),
    params: {},
    sources: new Map(),
    valueOf: () => undefined,
    display: () => undefined,
    async run() {
      held.runs++;
      return { status: "ok", values: { weights: Float64Array.from({ length: 4096 }, (_, i) => i / 7) } };
    },
    async install(values) {
      held.installed = values;
      return { status: "ok" };
    },
  };
  return { h, held };
}

test("a cached stage whose stored blob was cut short runs again, says why, and leaves the blob whole for the next restore", async () => {
  const store = openStore({ dir: join(dir, "store") });
  const first = host(store);
  const ran = await executeStage(spec, first.h);
  assert.equal(ran.status, "ok");
  const blob = ran.outputs[0]!.parts[0]!.hash;
  const path = join(store.blobs.dir, blob.slice(0, 2), blob.slice(2));
  truncateSync(path, 100);

  const second = host(store);
  const healed = await executeStage(spec, second.h);
  assert.equal(healed.status, "ok");
  assert.equal(second.held.runs, 1, "the stage ran instead of restoring");
  assert.match(healed.missReason ?? "", /could not be read \(blob [0-9a-f]{12} is corrupt/);
  assert.equal(healed.outputs[0]!.parts[0]!.hash, blob, "the same value, the same blob");

  const third = host(store);
  const restored = await executeStage(spec, third.h);
  assert.equal(restored.status, "cached");
  assert.equal(third.held.runs, 0);
  assert.deepEqual(third.held.installed?.weights, Float64Array.from({ length: 4096 }, (_, i) => i / 7));
  store.close();
});
