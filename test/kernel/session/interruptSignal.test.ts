// An interrupt reaches the library through context().signal: a tune search on pool threads stops, and the kernel runs on.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KernelClient } from "../../../kernel/client.js";
import type { Reply } from "../../../kernel/protocol.js";

const dir = mkdtempSync(join(tmpdir(), "mlnb-interrupt-"));

const SEARCH = `import * as aq from "arquero";
import { tune } from "mlnb";
const n = 300;
const t = aq.table({ x: Array.from({ length: n }, (_, i) => (i % 2 ? 1 : -1) + Math.sin(i)), label: Array.from({ length: n }, (_, i) => (i % 2 ? "a" : "b")) });
const r = await tune.gridSearch(t, { layers: [[8], [16], [8, 8]], learningRate: [0.05, 0.01, 0.003] }, { model: "mlpClassifier", target: "label", base: { epochs: 25 }, folds: 3, seed: 1, refit: false, workers: 2 });`;

describe("interrupt signal", () => {
  let k: KernelClient;
  before(async () => { k = await KernelClient.start({ notebookPath: join(dir, "t.mlnb"), typeCheck: "off" }); });
  after(async () => { await k.shutdown(); rmSync(dir, { recursive: true, force: true }); });

  for (const [where, source] of [["a cell", SEARCH], ["a %%stage cell (the stage's own context)", `%%stage search\n${SEARCH}`]] as const) {
    it(`stops a tune search on pool threads when ${where} is interrupted, and the next cell runs`, async () => {
      const progress: string[] = [];
      let interruptedAt = -1;
      const onReply = (reply: Reply) => {
        if (reply.type !== "display" || !String(reply.data["text/plain"]).includes("fits done")) return;
        progress.push(String(reply.data["text/plain"]));
        if (progress.length === 2) {
          interruptedAt = progress.length;
          k.interrupt();
        }
      };
      k.on("reply", onReply);
      try {
        const ran = await k.execute(source, {});
        assert.equal(ran.status, "interrupted");
        const next = await k.execute("6 * 7", {});
        assert.equal(next.status, "ok");
        // the pool thread was ended and the calling thread's trial loop stopped: at most a report in flight after the interrupt
        await new Promise((r) => setTimeout(r, 3000));
        assert.ok(interruptedAt > 0);
        assert.ok(progress.length <= interruptedAt + 2, progress.slice(interruptedAt).join("\n"));
      } finally {
        k.off("reply", onReply);
      }
    });
  }
});
