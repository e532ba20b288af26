// Tests of the extension's kernel start: VS Code's own runtime when no node is on PATH, and a clear message when the kernel cannot start.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, test } from "node:test";
import { createKernelFactory } from "../../extension/kernelFactory.js";
import { KernelManager } from "../../extension/kernelManager.js";
import { findOnPath, resolveNodeCommand } from "../../extension/nodePath.js";
import type { Reply } from "../../kernel/protocol.js";
import { openDatabase } from "../../kernel/sqlite/open.js";
import { fakeOldNode } from "../support/fakeNode.js";

// The extension's root (where out/kernel/client.js is), as VS Code hands it to activate().
const EXTENSION = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const dir = mkdtempSync(join(tmpdir(), "mlnb-kstart-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("with no node on PATH the kernel runs on the editor's own runtime as Node and records a stage", { timeout: 120_000 }, async () => {
  const bare = mkdtempSync(join(dir, "bin-")); // a PATH with no node in it
  assert.equal(findOnPath("node", bare), undefined);
  const runtime = resolveNodeCommand("", bare, process.execPath);
  assert.deepEqual(runtime, { nodePath: process.execPath, env: { ELECTRON_RUN_AS_NODE: "1" }, source: "vscode" });
  const notebookPath = join(dir, "vscode-runtime.mlnb");
  writeFileSync(notebookPath, "");
  const manager = new KernelManager(createKernelFactory(EXTENSION));
  try {
    const kernel = await manager.get(notebookPath, () => ({ notebookPath, nodePath: runtime.nodePath, env: { ...runtime.env, PATH: bare }, typeCheck: "off" }));
    const replies: Reply[] = [];
    const done = await kernel.execute("%%stage ingest\nconst answer: number = 6 * 7;\n`${answer} ${process.env.ELECTRON_RUN_AS_NODE} ${process.env.PATH}`", {}, (r) => replies.push(r));
    assert.equal(done.status, "ok", JSON.stringify(replies.filter((r) => r.type === "error")));
    const result = replies.find((r) => r.type === "result");
    assert.ok(result && result.type === "result");
    assert.equal(result.data["text/plain"], `'42 1 ${bare}'`);
  } finally {
    await manager.shutdownAll();
  }
  const store = join(dir, ".mlnb", "runs.sqlite");
  assert.ok(existsSync(store));
  const db = openDatabase(store, { readonly: true });
  try {
    assert.deepEqual(db.prepare("SELECT stage, status FROM stage_runs").all(), [{ stage: "ingest", status: "ok" }]);
  } finally {
    db.close();
  }
});

test("a kernel set to run on too old a Node fails to start with what to install, and no stack", { timeout: 30_000 }, async () => {
  const old = fakeOldNode(dir);
  const runtime = resolveNodeCommand(old, process.env.PATH, process.execPath);
  assert.equal(runtime.source, "setting");
  const manager = new KernelManager(createKernelFactory(EXTENSION));
  await assert.rejects(manager.get("nb-old", () => ({ notebookPath: join(dir, "old.mlnb"), nodePath: runtime.nodePath, env: runtime.env })), (e: Error) => {
    assert.equal(e.name, "KernelStartError");
    assert.equal(e.message, `mlnb's kernel needs Node >= 20.19.0, and ${old} is Node 18.19.0. Install Node 20.19 or newer (https://nodejs.org), or point the setting mlnb.nodePath at one.`);
    return true;
  });
  assert.equal(manager.peek("nb-old"), undefined, "the next run tries again");
});
