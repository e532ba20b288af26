// Benchmark: what the stage executor's mutation check (re-hashing every upstream input after a stage ran) costs on the example notebooks.
//
// Per notebook, in a temp copy with a fresh store, every cell runs once (cold: every stage runs);
// each stage reports its run time and the time its mutation check took. Compared with: the
// stages' own run time in the same run.
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { KernelClient } from "../kernel/client.js";
import { parseNotebook } from "../kernel/notebook/format.js";
import { listNotebooks } from "../kernel/notebook/list.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Print the mutation check's cost per example notebook. */
export async function run(): Promise<void> {
  const src = join(ROOT, "notebooks");
  const rows: string[] = [];
  for (const file of listNotebooks(src)) {
    const dir = mkdtempSync(join(tmpdir(), "mlnb-mutation-"));
    try {
      cpSync(src, dir, { recursive: true, filter: (p) => !p.includes(".mlnb/") && !p.endsWith(".out.mlnb") && !p.includes("/models/") });
      const path = join(dir, file);
      const cells = parseNotebook(readFileSync(path, "utf8"), file).cells.filter((c) => c.kind === "code").map((c) => c.source);
      const kernel = await KernelClient.start({ notebookPath: path, typeCheck: "off", env: { MLNB_STORE: join(dir, ".mlnb") } });
      const per: { stage: string; runMs: number; checkMs: number }[] = [];
      let failed = "";
      try {
        for (const [i, code] of cells.entries()) {
          const r = await kernel.execute(code, { cellId: `c${i}` }, (reply) => {
            if (reply.type !== "stage") return;
            const info = reply.info as { stage?: string; state?: string; durationMs?: number; mutationCheckMs?: number };
            if (info.state === "fresh" && typeof info.mutationCheckMs === "number") per.push({ stage: info.stage!, runMs: info.durationMs ?? 0, checkMs: info.mutationCheckMs });
          });
          if (r.status !== "ok") failed ||= `cell ${i + 1} ${r.status}`;
        }
      } finally {
        await kernel.shutdown();
      }
      const runMs = per.reduce((a, p) => a + p.runMs, 0);
      const checkMs = per.reduce((a, p) => a + p.checkMs, 0);
      const worst = [...per].sort((a, b) => b.checkMs - a.checkMs)[0];
      rows.push(`| ${file} | ${per.length} | ${(runMs / 1000).toFixed(2)} | ${checkMs.toFixed(1)} | ${((100 * checkMs) / runMs).toFixed(2)}% | ${worst ? `${worst.stage} ${worst.checkMs.toFixed(1)} ms` : ""} | ${failed} |`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log("\n### Mutation check: re-hashing a stage's upstream inputs after it ran (cold run, every stage runs)\n");
  console.log("| notebook | stages run | stages' run time (s) | mutation checks (ms) | checks / run time | largest check | note |");
  console.log("|---|---:|---:|---:|---:|---|---|");
  for (const r of rows) console.log(r);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
