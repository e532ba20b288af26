// Benchmark: wall time of each example notebook's exported script vs the headless notebook run (target ratio <= 1.1).
//
// Both are timed as the user runs them, in a fresh process: `mlnb run NB.mlnb --no-cache` (kernel
// process, type check, every stage executed and recorded) and `mlnb script NB.pipeline.ts`
// (compile the script, run every stage, record). Runs alternate so load on the shared box hits
// both alike; the table shows the median of RUNS runs each.
import { execFile } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { planExport } from "../kernel/export/plan.js";
import { parseNotebook } from "../kernel/notebook/format.js";
import { listNotebooks } from "../kernel/notebook/list.js";

const ROOT = fileURLToPath(new URL(import.meta.url.includes("/out/") ? "../../" : "../", import.meta.url));
const MLNB = join(ROOT, "bin", "mlnb.js");
const RUNS = Number(process.env.MLNB_BENCH_RUNS ?? 3);
const exec = promisify(execFile);
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "MLNB_STORE"));

async function timed(cwd: string, args: string[]): Promise<number> {
  const t = performance.now();
  await exec(process.execPath, [MLNB, ...args], { cwd, env, maxBuffer: 64 << 20 });
  return performance.now() - t;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Notebooks in notebooks/ that have stages (the others cannot be exported). */
function exampleNotebooks(): { file: string; stages: number }[] {
  const dir = join(ROOT, "notebooks");
  return listNotebooks(dir).flatMap((file) => {
      try {
        return [{ file, stages: planExport(parseNotebook(readFileSync(join(dir, file), "utf8"), file)).stages.length }];
      } catch {
        return [];
      }
    });
}

/** Print the table: per notebook, the median wall time of both and their ratio. */
export async function run(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "mlnb-bench-export-"));
  const rows: string[] = [];
  try {
    for (const { file, stages } of exampleNotebooks()) {
      const base = file.replace(/\.mlnb$/, "");
      const dir = join(work, base);
      mkdirSync(dir, { recursive: true });
      copyFileSync(join(ROOT, "notebooks", file), join(dir, file));
      if (existsSync(join(ROOT, "notebooks", "data"))) cpSync(join(ROOT, "notebooks", "data"), join(dir, "data"), { recursive: true });
      const notebook: number[] = [];
      const script: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        notebook.push(await timed(dir, ["run", file, "--no-cache", "--quiet", "--no-write"]));
        if (i === 0) await exec(process.execPath, [MLNB, "export", file], { cwd: dir, env });
        script.push(await timed(tmpdir(), ["script", join(dir, `${base}.pipeline.ts`), "--quiet"]));
      }
      const n = median(notebook);
      const s = median(script);
      rows.push(`| ${file} | ${stages} | ${(n / 1000).toFixed(2)} | ${(s / 1000).toFixed(2)} | ${(s / n).toFixed(2)} | ${s / n <= 1.1 ? "yes" : "no"} |`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`\n### Exported pipeline script vs headless notebook run (median of ${RUNS}, load ${loadavg()[0]!.toFixed(2)})\n`);
  console.log("| notebook | stages | notebook run (s) | script (s) | ratio script/notebook | <= 1.1 |");
  console.log("|---|---:|---:|---:|---:|---|");
  for (const r of rows) console.log(r);
  if (!rows.length) console.log("| (no example notebook with stages) | | | | | |");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await run();
