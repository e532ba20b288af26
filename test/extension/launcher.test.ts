// Tests of the `mlnb` launcher the extension puts on the integrated terminal's PATH: it runs the real CLI with the kernel's Node.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { launcherFile, writeLauncher } from "../../extension/launcher.js";
import { cliInvocation } from "../../kernel/cli/onPath.js";

const root = resolve(import.meta.dirname, "..", "..", "..");
const cli = join(root, "bin", "mlnb.js");
const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;

/** Run a command line in sh with `dir` first on PATH, as a new integrated terminal would. */
function shell(dir: string, line: string): string {
  return execFileSync("sh", ["-c", line], { env: { ...process.env, PATH: `${dir}${delimiter}${process.env.PATH}` }, encoding: "utf8" });
}

test("a shell with the launcher folder on PATH runs mlnb --version with the extension's CLI", { skip: process.platform === "win32" }, () => {
  const dir = mkdtempSync(join(tmpdir(), "mlnb-launcher-"));
  try {
    const path = writeLauncher(dir, { nodePath: process.execPath, env: {}, source: "PATH" }, cli);
    assert.equal(path, join(dir, "mlnb"));
    assert.equal(statSync(path).mode & 0o777, 0o755);
    assert.equal(shell(dir, "mlnb --version").trim(), version);
    // The CLI then prints hints that use the plain command, which this shell can run.
    assert.equal(shell(dir, `"${process.execPath}" -e 'import("${join(root, "out", "kernel", "cli", "onPath.js")}").then((m) => console.log(m.cliInvocation()))'`).trim(), "mlnb");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the launcher passes the runtime's environment and quotes a Node path with spaces and quotes", { skip: process.platform === "win32" }, () => {
  const dir = mkdtempSync(join(tmpdir(), "mlnb-launcher-"));
  try {
    const odd = join(dir, "vs code's node");
    mkdirSync(odd);
    symlinkSync(process.execPath, join(odd, "node"));
    const node = { nodePath: join(odd, "node"), env: { ELECTRON_RUN_AS_NODE: "1", MLNB_PROBE: "a b'c" }, source: "vscode" as const };
    writeLauncher(join(dir, "bin"), node, cli);
    assert.equal(shell(join(dir, "bin"), "mlnb --version").trim(), version);
    const text = readFileSync(join(dir, "bin", "mlnb"), "utf8");
    assert.match(text, /^#!\/bin\/sh\n/);
    assert.match(text, /\nELECTRON_RUN_AS_NODE=1 MLNB_PROBE='a b'"'"'c' exec '[^\n]*vs code'"'"'s node\/node' \S+\/bin\/mlnb\.js "\$@"\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the launcher is rewritten when the kernel's Node changes", { skip: process.platform === "win32" }, () => {
  const dir = mkdtempSync(join(tmpdir(), "mlnb-launcher-"));
  try {
    writeLauncher(dir, { nodePath: "/opt/old/node", env: {}, source: "setting" }, cli);
    assert.match(readFileSync(join(dir, "mlnb"), "utf8"), /exec \/opt\/old\/node /);
    writeLauncher(dir, { nodePath: process.execPath, env: {}, source: "PATH" }, cli);
    assert.equal(shell(dir, "mlnb --version").trim(), version);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("on Windows the launcher is mlnb.cmd setting the runtime's environment and passing every argument", () => {
  const f = launcherFile({ nodePath: "C:\\Program Files\\VS Code\\Code.exe", env: { ELECTRON_RUN_AS_NODE: "1" }, source: "vscode" }, "C:\\ext\\bin\\mlnb.js", "win32");
  assert.equal(f.name, "mlnb.cmd");
  assert.match(f.text, /^@echo off\r\n/);
  assert.match(f.text, /\r\nset "ELECTRON_RUN_AS_NODE=1"\r\n"C:\\Program Files\\VS Code\\Code\.exe" "C:\\ext\\bin\\mlnb\.js" %\*\r\n$/);
});

test("printed hints say npx mlnb when no mlnb is on PATH", () => {
  const empty = mkdtempSync(join(tmpdir(), "mlnb-nopath-"));
  try {
    assert.equal(cliInvocation(empty), "npx mlnb");
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});
