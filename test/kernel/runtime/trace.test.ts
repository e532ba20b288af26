// Tests of the MLNB_TRACE timing marks: `mlnb run` and its kernel write one time line, in the order a warm run reaches them.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, test } from "node:test";
import { serializeNotebook, type Notebook } from "../../../kernel/notebook/format.js";
import { parseTrace } from "../../../kernel/runtime/trace.js";

const BIN = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..", "bin", "mlnb.js");
const dir = mkdtempSync(join(tmpdir(), "mlnb-trace-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const cell = (source: string) => ({ kind: "code" as const, language: "typescript", source, outputs: [], executionCount: null, metadata: {} });

test("a warm mlnb run and its kernel mark one time line: spawn (before the notebook is read), ready, each cell, the restored stage, exit", () => {
  const nb: Notebook = { metadata: {}, cells: [cell("%%params\nconst n = 3;"), cell("%%stage ingest\nconst xs = Array.from({ length: n }, (_, i) => i * 2);\nxs.length")] };
  const path = join(dir, "nb.mlnb");
  writeFileSync(path, serializeNotebook(nb));
  const run = (trace?: string) => spawnSync(process.execPath, [BIN, "run", path, "--no-write", "--type-check", "off"], { encoding: "utf8", env: { ...process.env, MLNB_STORE: join(dir, ".mlnb"), ...(trace ? { MLNB_TRACE: trace } : {}) } });
  assert.equal(run().status, 0, "the cold run");
  assert.equal(existsSync(join(dir, "trace.txt")), false, "without MLNB_TRACE nothing is written");

  const warm = run(join(dir, "trace.txt"));
  assert.equal(warm.status, 0, warm.stderr);
  assert.match(warm.stdout, /^cached: from run 1/m);
  const marks = parseTrace(readFileSync(join(dir, "trace.txt"), "utf8"));
  const pids = [...new Set(marks.map((m) => m.pid))];
  assert.equal(pids.length, 2, "the CLI and its kernel");
  const [cli, kernel] = pids;
  const order = marks.map((m) => `${m.pid === cli ? "cli" : m.pid === kernel ? "kernel" : "?"} ${m.name}`);
  const expected = [
    "cli process start",
    "cli cli: started",
    // The kernel is spawned before the CLI loads the rest of `run` and reads the notebook (cli/runKernel.ts).
    "cli cli: kernel spawned",
    "kernel process start",
    "kernel kernel: ready",
    "cli cli: kernel ready",
    "kernel kernel: Cell[1] done",
    "cli cli: cell 1 done",
    "kernel stage ingest: restored",
    "kernel kernel: Cell[2] done",
    "cli cli: cell 2 (stage ingest) done",
    "kernel kernel: shutdown asked",
    "kernel process exit",
    "cli cli: kernel exited",
    "cli process exit",
  ];
  // Each expected mark is there, in this order (others, such as "store open", come in between).
  let from = 0;
  for (const name of expected) {
    const i = order.indexOf(name, from);
    assert.ok(i >= 0, `"${name}" after "${order[from - 1]}" in:\n${order.join("\n")}`);
    from = i + 1;
  }
  assert.ok(order.indexOf("cli cli: kernel spawned") < order.indexOf("cli cli: notebook read"), "spawned before the notebook is read");
  assert.ok(marks.every((m, i) => i === 0 || m.at >= marks[i - 1]!.at), "sorted by time");
  assert.ok(marks.at(-1)!.at - marks[0]!.at < 120_000, "one run's time line, in ms");
});
