// Tests that `mlnb run` spawns its kernel before reading the notebook, and ends it when the run stops before using it.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, test } from "node:test";
import { serializeNotebook } from "../../../kernel/notebook/format.js";
import { parseTrace } from "../../../kernel/runtime/trace.js";

const BIN = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..", "bin", "mlnb.js");
const dir = mkdtempSync(join(tmpdir(), "mlnb-run-kernel-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const nb = join(dir, "nb.mlnb");
writeFileSync(nb, serializeNotebook({ metadata: {}, cells: [{ kind: "code", language: "typescript", source: "6 * 7", outputs: [], executionCount: null, metadata: {} }] }));

/** `mlnb run ARGS` with a trace; returns the process result and its trace marks. */
function run(args: string[], trace: string) {
  const r = spawnSync(process.execPath, [BIN, "run", ...args], { encoding: "utf8", timeout: 60_000, env: { ...process.env, MLNB_STORE: join(dir, ".mlnb"), MLNB_TRACE: join(dir, trace) } });
  let marks: ReturnType<typeof parseTrace> = [];
  try {
    marks = parseTrace(readFileSync(join(dir, trace), "utf8"));
  } catch {
    // no trace written
  }
  return { ...r, marks };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test("mlnb run spawns its kernel before it reads the notebook, and the run uses that kernel", () => {
  const r = run([nb, "--no-write", "--type-check", "off"], "used.txt");
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^42$/m);
  const names = r.marks.map((m) => m.name);
  assert.ok(names.indexOf("cli: kernel spawned") >= 0 && names.indexOf("cli: kernel spawned") < names.indexOf("cli: notebook read"), names.join("\n"));
  assert.equal(names.filter((n) => n === "cli: kernel spawned").length, 1, "one kernel");
  assert.equal(new Set(r.marks.map((m) => m.pid)).size, 2, "the CLI and one kernel");
});

test("a run refused after its kernel was spawned (a bad --max-output) exits at once with the usage error and ends that kernel", async () => {
  const r = run([nb, "--max-output", "lots"], "refused.txt");
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^mlnb run: --max-output must be a positive number of bytes, got lots/);
  assert.ok(r.marks.some((m) => m.name === "cli: kernel spawned"), "the kernel was spawned before the line was checked in full");
  const cli = r.marks[0]!.pid;
  const kernels = [...new Set(r.marks.filter((m) => m.pid !== cli).map((m) => m.pid))];
  await new Promise((resolve) => setTimeout(resolve, 200));
  for (const pid of kernels) assert.equal(alive(pid), false, `kernel ${pid} is gone`);
});

test("mlnb run --help and a missing notebook spawn no kernel", () => {
  const help = run(["--help"], "help.txt");
  assert.equal(help.status, 0);
  assert.equal(help.marks.some((m) => m.name === "cli: kernel spawned"), false);
  const missing = run([join(dir, "missing.mlnb")], "missing.txt");
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /cannot read .*missing\.mlnb/);
  assert.equal(missing.marks.some((m) => m.name === "cli: kernel spawned"), false);
  assert.equal(new Set(missing.marks.map((m) => m.pid)).size, 1, "no kernel process");
});
