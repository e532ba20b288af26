// Tests of one-kernel-per-notebook bookkeeping against real kernel processes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KernelClient } from "../../kernel/client.js";
import type { KernelStartOptions } from "../../extension/kernel.js";
import { KernelManager } from "../../extension/kernelManager.js";
import type { Reply } from "../../kernel/protocol.js";

const dir = mkdtempSync(join(tmpdir(), "mlnb-km-"));
const options = (): KernelStartOptions => ({ notebookPath: join(dir, "a.mlnb"), typeCheck: "off" });

test("gives a notebook one kernel, starts a fresh one after it dies, and restarts on request", { timeout: 90_000 }, async () => {
  const exits: [string, boolean][] = [];
  const manager = new KernelManager((o) => KernelClient.start(o), { onExit: (key, _c, _s, expected) => exits.push([key, expected]) });
  try {
    const first = await manager.get("nb-a", options);
    assert.equal(await manager.get("nb-a", options), first, "the same notebook gets the same kernel");

    const replies: Reply[] = [];
    const died = await first.execute('process.kill(process.pid, "SIGKILL")', {}, (r) => replies.push(r));
    assert.equal(died.status, "error");
    assert.ok(replies.some((r) => r.type === "error" && r.error.name === "KernelDied"));
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(exits, [["nb-a", false]], "a death is reported as unexpected");

    const second = await manager.get("nb-a", options);
    assert.notEqual(second, first, "the next run gets a new kernel");
    assert.equal((await second.execute("1 + 1", {}, () => {})).executionCount, 1);

    const third = await manager.restart("nb-a", options);
    assert.notEqual(third, second);
    assert.deepEqual(exits.at(-1), ["nb-a", true], "a restart is an expected exit");
  } finally {
    await manager.shutdownAll();
  }
});

test("forgets a kernel that failed to start so the next run tries again", { timeout: 30_000 }, async () => {
  const manager = new KernelManager((o) => KernelClient.start(o));
  const bad = (): KernelStartOptions => ({ ...options(), nodePath: join(dir, "no-such-node") });
  await assert.rejects(manager.get("nb-b", bad), /could not start the kernel|no-such-node|ENOENT/);
  assert.equal(manager.peek("nb-b"), undefined);
  const k = await manager.get("nb-b", options);
  assert.equal((await k.execute("2 + 3", {}, () => {})).status, "ok");
  await manager.shutdownAll();
});
