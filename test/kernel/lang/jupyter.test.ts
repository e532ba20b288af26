// The kernel's complete and inspect requests (Jupyter's shapes) know the cells that ran, and answer while a cell runs.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it, test } from "node:test";
import { KernelClient } from "../../../kernel/client.js";

const dir = mkdtempSync(join(tmpdir(), "mlnb-complete-"));

describe("kernel complete and inspect", () => {
  let k: KernelClient;
  before(async () => {
    k = await KernelClient.start({ notebookPath: join(dir, "c.mlnb"), typeCheck: "off" });
    await k.execute('import { read } from "mlnb";\nconst penguinCount = 344;', { cellId: "first" });
  });
  after(async () => {
    await k.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it("completes a name from a cell that ran, with the range to replace", async () => {
    const r = await k.complete("penguinC", 8);
    assert.deepEqual(r.matches, ["penguinCount"]);
    assert.deepEqual([r.cursor_start, r.cursor_end], [0, 8]);
  });

  it("completes members after a dot, filtered by what is typed", async () => {
    const r = await k.complete("read.cs", 7);
    assert.equal(r.matches[0], "csv");
    assert.ok(r.matches.every((m) => m.startsWith("cs")), r.matches.join(", "));
    assert.ok(!r.matches.includes("json"));
    assert.deepEqual([r.cursor_start, r.cursor_end], [5, 7]);
  });

  it("inspects a name: its type and doc comment as markdown", async () => {
    const r = await k.inspect("read.csv", 8);
    assert.equal(r.found, true);
    assert.match(String(r.data["text/markdown"]), /csv\(path: string, options\?: AsTable<CsvReadOptions>\): Promise<ColumnTable>/);
    assert.match(String(r.data["text/plain"]), /CSV with typed columns/);
    const nothing = await k.inspect("   ", 1);
    assert.deepEqual([nothing.found, nothing.data], [false, {}]);
  });

  it("answers while a cell is busy", async () => {
    const busy = k.execute("const t0 = Date.now();\nwhile (Date.now() - t0 < 4000) {}", { cellId: "busy" });
    await new Promise((r) => setTimeout(r, 500));
    const started = Date.now();
    const r = await k.complete("penguinC", 8);
    const answeredIn = Date.now() - started;
    const busyDone = await busy;
    assert.deepEqual(r.matches, ["penguinCount"]);
    assert.equal(busyDone.status, "ok");
    assert.ok(answeredIn < 3500, `answered during the 4 s busy loop (after ${answeredIn} ms)`);
  });
});

test("the language thread starts on the first complete, answers it while a cell is busy, and knows the cells that ran before", async () => {
  const own = mkdtempSync(join(tmpdir(), "mlnb-lazy-"));
  const k = await KernelClient.start({ notebookPath: join(own, "lazy.mlnb"), typeCheck: "off" });
  try {
    await k.execute("const lateCount = 7;", { cellId: "first" });
    const threads = async () => ((await k.command("loaded")) as { languageThread: boolean }).languageThread;
    assert.equal(await threads(), false, "cells alone do not start it");
    // The cell stays busy until the test has its answer (or 120 s pass): the answer cannot wait for the cell.
    const release = join(own, "release");
    let answered = false;
    const busy = k.execute(`const t0 = Date.now();\nwhile (!require("node:fs").existsSync(${JSON.stringify(release)}) && Date.now() - t0 < 120000) {}`, { cellId: "busy" });
    const r = await k.complete("lateC", 5);
    answered = !existsSync(release);
    writeFileSync(release, "");
    assert.equal((await busy).status, "ok");
    assert.equal(answered, true, "answered before the busy cell was released");
    assert.deepEqual(r.matches, ["lateCount"]);
    assert.equal(await threads(), true);
  } finally {
    await k.shutdown();
    rmSync(own, { recursive: true, force: true });
  }
});
