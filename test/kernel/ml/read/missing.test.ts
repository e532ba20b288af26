// Tests that every file reader names the absolute path it tried when a file is missing, and what a relative path was given as.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { read, ReadError } from "../../../../kernel/ml/read/index.js";

/** Run `body` with the working folder (the notebook folder in a kernel) set to a fresh temp folder. */
async function inNotebookFolder(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "mlnb-missing-")));
  mkdirSync(join(dir, "data"));
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    await body(dir);
  } finally {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  }
}

test("a missing relative file names the absolute path tried and the path as given, relative to the notebook folder", async () => {
  await inNotebookFolder(async (dir) => {
    const error = await read.csv("data/x.csv").then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof ReadError);
    assert.equal(error.message, `file not found: ${join(dir, "data", "x.csv")} (from "data/x.csv", relative to the notebook folder)`);
    assert.equal(error.source, join("data", "x.csv"));
    assert.equal((error.cause as NodeJS.ErrnoException).code, "ENOENT");
  });
});

test("a missing absolute file names that path alone", async () => {
  await inNotebookFolder(async (dir) => {
    const abs = join(dir, "nowhere", "y.json");
    await assert.rejects(read.json(abs), { name: "ReadError", message: `file not found: ${abs}` });
  });
});

test("every file reader reports a missing file the same way", async () => {
  await inNotebookFolder(async (dir) => {
    const expect = (given: string) => ({ name: "ReadError", message: `file not found: ${join(dir, given)} (from "${given}", relative to the notebook folder)` });
    await assert.rejects(read("data/a.csv"), expect("data/a.csv"));
    await assert.rejects(read.tsv("data/a.tsv"), expect("data/a.tsv"));
    await assert.rejects(read.json("data/a.json"), expect("data/a.json"));
    await assert.rejects(read.ndjson("data/a.ndjson"), expect("data/a.ndjson"));
    await assert.rejects(read.parquet("data/a.parquet"), expect("data/a.parquet"));
    await assert.rejects(read.arrow("data/a.arrow"), expect("data/a.arrow"));
    await assert.rejects(read.sqlite("data/a.sqlite", "select 1"), expect("data/a.sqlite"));
    assert.throws(() => read.csvBatches("data/b.csv"), expect("data/b.csv"));
    assert.throws(() => read.parquetBatches("data/b.parquet"), expect("data/b.parquet"));
    await assert.rejects(read.collect(read.ndjsonBatches("data/b.ndjson")), expect("data/b.ndjson"));
  });
});
