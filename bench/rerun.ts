// Benchmark: cold run vs no-op re-run of every example notebook (the stage cache at work).
//
// Per notebook, in a temp copy of notebooks/ with a fresh store: (1) cold: start a kernel and run
// every cell; (2) no-op re-run in the same kernel: run every cell again (stages restore, or keep,
// their outputs); (3) a fresh `mlnb run` process over the warm store, which also pays kernel start,
// TypeScript loading and type checking. Targets: the no-op re-run <= 2% of the cold run; the fresh
// `mlnb run` over the warm store <= 25% of it.
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { KernelClient } from "../kernel/client.js";
import { parseNotebook } from "../kernel/notebook/format.js";
import { listNotebooks } from "../kernel/notebook/list.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

async function runAll(kernel: KernelClient, cells: string[]): Promise<{ ms: number; cached: number; failed?: string }> {
  const t0 = performance.now();
  let cached = 0;
  for (const [i, code] of cells.entries()) {
    let text = "";
    const r = await kernel.execute(code, { cellId: `c${i}` }, (reply) => {
      if (reply.type === "stream") text += reply.text;
      if (reply.type === "error") text += `${reply.error.name}: ${reply.error.message}`;
    });
    if (/^cached: from run/m.test(text)) cached++;
    if (r.status !== "ok") return { ms: performance.now() - t0, cached, failed: `cell ${i + 1}: ${text.slice(0, 200)}` };
  }
  return { ms: performance.now() - t0, cached };
}

/** Print the cold / no-op re-run table for every notebook in notebooks/. */
export async function run(): Promise<void> {
  const src = join(ROOT, "notebooks");
  const files = listNotebooks(src);
  const rows: string[] = [];
  for (const file of files) {
    const dir = mkdtempSync(join(tmpdir(), "mlnb-rerun-"));
    try {
      cpSync(src, dir, { recursive: true, filter: (p) => !p.includes(".mlnb/") && !p.endsWith(".out.mlnb") && !p.includes("/models/") });
      const path = join(dir, file);
      const nb = parseNotebook(readFileSync(path, "utf8"), file);
      const cells = nb.cells.filter((c) => c.kind === "code").map((c) => c.source);
      const stages = cells.filter((c) => /^\s*%%stage/.test(c)).length;
      const kernel = await KernelClient.start({ notebookPath: path, env: { MLNB_STORE: join(dir, ".mlnb") } });
      await kernel.command("sync", { cells: cells.map((source, i) => ({ id: `c${i}`, source })) });
      const cold = await runAll(kernel, cells);
      const again = await runAll(kernel, cells);
      await kernel.shutdown();
      const t0 = performance.now();
      const cli = spawnSync(process.execPath, [join(ROOT, "bin", "mlnb.js"), "run", path, "--quiet", "--no-write"], { env: { ...process.env, MLNB_STORE: join(dir, ".mlnb") }, encoding: "utf8" });
      const fresh = performance.now() - t0;
      const note = cold.failed ?? again.failed ?? (cli.status !== 0 ? `mlnb run exited ${cli.status}: ${cli.stderr.trim().split("\n").slice(-3).join(" / ").slice(0, 300)}` : "");
      rows.push(
        `| ${file} | ${stages} | ${(cold.ms / 1000).toFixed(2)} | ${(again.ms / 1000).toFixed(3)} | ${again.cached}/${stages} | ${((100 * again.ms) / cold.ms).toFixed(1)}% | ${(fresh / 1000).toFixed(2)} | ${((100 * fresh) / cold.ms).toFixed(0)}% | ${note} |`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log("\n### Cold run vs no-op re-run (targets: re-run <= 2% of cold; fresh `mlnb run` over the warm store <= 25%)\n");
  console.log("| notebook | stages | cold run (s) | no-op re-run, same kernel (s) | stages restored | re-run / cold | fresh `mlnb run` over warm store (s) | fresh / cold | note |");
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---|");
  for (const r of rows) console.log(r);
  console.log("\n(\"stages restored\" counts cells that printed a cache restore; a stage marked --no-cache re-runs.)");
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
