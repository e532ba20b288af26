// Tests that a kernel process starts with glibc's huge-page tunable and hides it from what cells start, leaving the user's own tunables as they were.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { KernelClient } from "../../../kernel/client.js";
import { dropAddedHugePages, withHugePages } from "../../../kernel/runtime/hugePages.js";
import { cellRunner } from "../../support/kernelCells.js";

const dir = mkdtempSync(join(tmpdir(), "mlnb-hugepages-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const linux = process.platform === "linux";

test("the tunable is added to the user's own, only once, and dropped again as it was", { skip: !linux && "glibc tunables are Linux's" }, () => {
  const plain = withHugePages({ PATH: "/bin" });
  assert.equal(plain.GLIBC_TUNABLES, "glibc.malloc.hugetlb=1");
  const mixed = withHugePages({ GLIBC_TUNABLES: "glibc.malloc.arena_max=2" });
  assert.equal(mixed.GLIBC_TUNABLES, "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1");
  assert.deepEqual(withHugePages({ GLIBC_TUNABLES: "glibc.malloc.hugetlb=0" }), { GLIBC_TUNABLES: "glibc.malloc.hugetlb=0" }, "the user's own choice stands");
  assert.deepEqual(withHugePages({ MLNB_HUGE_PAGES: "off" }), { MLNB_HUGE_PAGES: "off" });

  dropAddedHugePages(mixed);
  assert.deepEqual(mixed, { GLIBC_TUNABLES: "glibc.malloc.arena_max=2" });
  dropAddedHugePages(plain);
  assert.deepEqual(plain, { PATH: "/bin" });
  const untouched = { GLIBC_TUNABLES: "glibc.malloc.hugetlb=1" };
  dropAddedHugePages(untouched);
  assert.deepEqual(untouched, { GLIBC_TUNABLES: "glibc.malloc.hugetlb=1" }, "not added by us: kept");
});

test("a kernel starts with the tunable, and its cells and their children do not see it", { skip: !linux && "glibc tunables are Linux's" }, async () => {
  const notebookPath = join(dir, "a.mlnb");
  writeFileSync(notebookPath, JSON.stringify({ cells: [] }));
  for (const [userTunables, expected] of [
    [undefined, undefined],
    ["glibc.malloc.arena_max=4", "glibc.malloc.arena_max=4"],
  ] as const) {
    const env = userTunables ? { GLIBC_TUNABLES: userTunables } : {};
    const saved = process.env.GLIBC_TUNABLES;
    delete process.env.GLIBC_TUNABLES;
    const client = await KernelClient.start({ notebookPath, typeCheck: "off", env });
    if (saved !== undefined) process.env.GLIBC_TUNABLES = saved;
    try {
      // glibc cuts its copy at each ':' as it parses it, so only a lone tunable reads back whole from /proc.
      const atExec = readFileSync(`/proc/${client.pid}/environ`, "utf8").split("\0").find((v) => v.startsWith("GLIBC_TUNABLES="));
      if (!userTunables) assert.equal(atExec, "GLIBC_TUNABLES=glibc.malloc.hugetlb=1", "the process was started with it");
      const run = cellRunner(client);
      const inCell = await run("[process.env.GLIBC_TUNABLES ?? 'unset', process.env.MLNB_HUGE_PAGES_ADDED ?? 'unset'].join(' ')");
      assert.equal(inCell.result, `'${expected ?? "unset"} unset'`);
      const child = await run(`import { execFileSync } from "node:child_process";\nexecFileSync(process.execPath, ["-p", "process.env.GLIBC_TUNABLES ?? 'unset'"], { encoding: "utf8" }).trim()`);
      assert.equal(child.result, `'${expected ?? "unset"}'`);
    } finally {
      await client.shutdown();
    }
  }
});
