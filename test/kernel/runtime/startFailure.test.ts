// Tests that a kernel which cannot start says what to install (too old a Node, a native module that does not load), never a stack.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, test } from "node:test";
import { KernelClient } from "../../../kernel/client.js";
import { atLeast } from "../../../kernel/runtime/nodeVersion.js";
import { explainStartFailure } from "../../../kernel/runtime/startFailure.js";
import { fakeOldNode } from "../../support/fakeNode.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
const dir = mkdtempSync(join(tmpdir(), "mlnb-start-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("compares Node versions by major, minor and patch", () => {
  assert.equal(atLeast("20.19.0", "20.19.0"), true);
  assert.equal(atLeast("v22.1.0", "20.19.0"), true);
  assert.equal(atLeast("20.18.3", "20.19.0"), false);
  assert.equal(atLeast("18.19.0", "20.19.0"), false);
});

test("a kernel on a Node older than 20.19 is refused with the version found and what to install", async () => {
  const node = fakeOldNode(dir);
  const nb = join(dir, "a.mlnb");
  writeFileSync(nb, "");
  await assert.rejects(KernelClient.start({ notebookPath: nb, nodePath: node }), (e: Error) => {
    assert.equal(e.name, "KernelStartError");
    assert.equal(e.message, `mlnb's kernel needs Node >= 20.19.0, and ${node} is Node 18.19.0. Install Node 20.19 or newer (https://nodejs.org), or point the setting mlnb.nodePath at one.`);
    return true;
  });
});

test("a kernel started with a missing executable names it and says to install Node", async () => {
  await assert.rejects(KernelClient.start({ notebookPath: join(dir, "a.mlnb"), nodePath: join(dir, "no-such-node") }), /could not start the kernel with .*no-such-node: spawn .*ENOENT\. Install Node >= 20\.19/);
});

test("a native module that fails to load is reported by name and platform, without its stack", () => {
  // Real stderr of a Node that cannot load addons, opening better-sqlite3 (its binary loads on first open).
  const r = spawnSync(process.execPath, ["--no-addons", "-e", "new (require('better-sqlite3'))(':memory:')"], { cwd: ROOT, encoding: "utf8" });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /\n\s+at /, "the raw stderr has a stack");
  const e = explainStartFailure(process.execPath, process.env, r.stderr, "code 1");
  assert.equal(e.name, "KernelStartError");
  assert.match(e.message, new RegExp(`^the kernel cannot start: better-sqlite3 failed to load for this platform \\(${process.platform}-${process.arch}, Node ${process.versions.node.replace(/\./g, "\\.")}\\): .*loading addons is disabled`));
  assert.doesNotMatch(e.message, /\n\s+at /);
  assert.equal(e.detail, r.stderr);
});

test("a kernel that exits after it was ready is not probed for its Node version", async () => {
  // A real Node behind a script that logs every start: the version probe would be a second start.
  const log = join(dir, "starts.log");
  const node = join(dir, "logging-node");
  writeFileSync(node, `#!/bin/sh\necho "$@" >> "${log}"\nexec "${process.execPath}" "$@"\n`);
  chmodSync(node, 0o755);
  const nb = join(dir, "b.mlnb");
  writeFileSync(nb, "");
  const kernel = await KernelClient.start({ notebookPath: nb, nodePath: node });
  const r = await kernel.execute("1 + 1");
  assert.equal(r.status, "ok");
  await kernel.shutdown();
  const starts = readFileSync(log, "utf8").trim().split("\n");
  assert.equal(starts.length, 1, `one Node start, got: ${starts.join(" | ")}`);
  assert.match(starts[0]!, /kernel\/server\.js$/);
});
