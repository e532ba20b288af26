// Tests of how the kernel's Node runtime is chosen (setting, PATH, VS Code's own runtime).
import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { findOnPath, resolveNodeCommand } from "../../extension/nodePath.js";

function fakeBin(executable: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), "mlnb-path-"));
  writeFileSync(join(dir, "node"), "#!/bin/sh\n");
  chmodSync(join(dir, "node"), executable ? 0o755 : 0o644);
  return dir;
}

test("uses the mlnb.nodePath setting when it is set", () => {
  assert.deepEqual(resolveNodeCommand(" /opt/node22/bin/node ", "/usr/bin", "/vscode/code"), { nodePath: "/opt/node22/bin/node", env: {}, source: "setting" });
});

test("finds node on PATH, skipping folders where it is missing or not executable", () => {
  const empty = mkdtempSync(join(tmpdir(), "mlnb-path-"));
  const notExec = fakeBin(false);
  const good = fakeBin(true);
  mkdirSync(join(empty, "node")); // a folder named node is not an executable
  const path = [empty, notExec, good].join(delimiter);
  assert.equal(findOnPath("node", path), join(good, "node"));
  assert.deepEqual(resolveNodeCommand("", path, "/vscode/code"), { nodePath: join(good, "node"), env: {}, source: "PATH" });
});

test("falls back to VS Code's own runtime as plain Node when no node is on PATH", () => {
  const empty = mkdtempSync(join(tmpdir(), "mlnb-path-"));
  assert.deepEqual(resolveNodeCommand(undefined, empty, "/vscode/code"), { nodePath: "/vscode/code", env: { ELECTRON_RUN_AS_NODE: "1" }, source: "vscode" });
  assert.equal(findOnPath("node", undefined), undefined);
});
