// Errors that escape a finished cell (timers, unhandled rejections) are shown and the kernel lives on.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { KernelClient } from "../../../kernel/client.js";
import type { Reply } from "../../../kernel/protocol.js";

type Fault = Extract<Reply, { type: "fault" }>;

describe("kernel faults", () => {
  let dir: string;
  let kernel: KernelClient;
  const faults: Fault[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "mlnb-faults-"));
    const notebookPath = join(dir, "faults.mlnb");
    writeFileSync(notebookPath, "");
    kernel = await KernelClient.start({ notebookPath, typeCheck: "off" });
    kernel.on("fault", (f: Fault) => faults.push(f));
  });
  after(async () => {
    await kernel.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Run a cell; its replies and outcome. */
  async function run(code: string) {
    const replies: Reply[] = [];
    const outcome = await kernel.execute(code, {}, (r) => replies.push(r));
    return { outcome, replies, id: replies.find((r) => "id" in r && r.id)?.["id" as keyof Reply] as string | undefined };
  }
  const waitFor = async (n: number) => {
    for (let i = 0; i < 100 && faults.length < n; i++) await new Promise((r) => setTimeout(r, 50));
  };

  it("shows an error thrown in a timer after its cell finished, on that cell, and keeps the variables", async () => {
    const first = await run(`const kept = 42;\nsetTimeout(() => {\n  throw new Error("boom in a timer");\n}, 100);\n"scheduled"`);
    assert.equal(first.outcome.status, "ok");
    await waitFor(1);
    assert.equal(faults.length, 1);
    assert.equal(faults[0]!.id, first.id);
    assert.match(faults[0]!.error.message, /Uncaught error in a callback scheduled by Cell\[\d+\], after it finished: boom in a timer/);
    assert.match(faults[0]!.error.stack ?? "", /line 3/);
    const next = await run("kept + 1");
    assert.equal(next.outcome.status, "ok");
    const result = next.replies.find((r) => r.type === "result") as Extract<Reply, { type: "result" }>;
    assert.equal(result.data["text/plain"], "43");
    assert.ok(kernel.alive);
  });

  it("shows an unhandled rejection after its cell finished and the kernel lives on", async () => {
    const before = faults.length;
    const cell = await run(`setTimeout(() => Promise.reject(new RangeError("late rejection")), 50);`);
    await waitFor(before + 1);
    const f = faults[before]!;
    assert.equal(f.id, cell.id);
    assert.equal(f.error.name, "RangeError");
    assert.match(f.error.message, /Unhandled promise rejection .*: late rejection/);
    const next = await run("kept * 2");
    assert.equal((next.replies.find((r) => r.type === "result") as Extract<Reply, { type: "result" }>).data["text/plain"], "84");
  });

  it("shows a rejection of the running cell's own stray promise on that cell", async () => {
    const cell = await run(`Promise.reject(new Error("stray")); await new Promise((r) => setTimeout(r, 100)); "after"`);
    assert.equal(cell.outcome.status, "ok");
    const errors = cell.replies.filter((r) => r.type === "error") as Extract<Reply, { type: "error" }>[];
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.error.message, /Unhandled promise rejection in a callback of this cell: stray/);
  });
});
