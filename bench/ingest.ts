// Benchmark: ingest of a seeded 1,000,000-row, 9-column CSV by `read` vs arquero's fromCSV vs pandas.read_csv.
//
// Each contender runs in its own child process so that its peak RSS (which includes the
// runtime's own baseline) can be measured; the table shows the median of several runs.
import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ingestCsv } from "./data/ingest-csv.js";

interface Sample { ms: number; rows: number; peakMB: number }

const PY = "/usr/bin/python3";
const RUNS = 3;

function nodeScript(body: string): string[] {
  return ["--input-type=module", "-e", body];
}

const readModule = fileURLToPath(new URL("../kernel/ml/read/csv.js", import.meta.url));

const contenders: { name: string; available: () => boolean; cmd: (file: string) => [string, string[]] }[] = [
  {
    name: "mlnb read",
    available: () => true,
    cmd: (file) => [process.execPath, nodeScript(`
      const { readCSV } = await import(${JSON.stringify(readModule)});
      const t0 = performance.now(); const t = readCSV(${JSON.stringify(file)}); const ms = performance.now() - t0;
      console.log(JSON.stringify({ ms, rows: t.numRows(), peakMB: process.resourceUsage().maxRSS / 1024 }));`)],
  },
  {
    name: "arquero fromCSV",
    available: () => true,
    cmd: (file) => [process.execPath, nodeScript(`
      const aq = await import("arquero"); const { readFileSync } = await import("node:fs");
      const t0 = performance.now(); const t = aq.fromCSV(readFileSync(${JSON.stringify(file)}, "utf8")); const ms = performance.now() - t0;
      console.log(JSON.stringify({ ms, rows: t.numRows(), peakMB: process.resourceUsage().maxRSS / 1024 }));`)],
  },
  {
    name: "pandas.read_csv",
    available: () => {
      if (!existsSync(PY)) return false;
      try { execFileSync(PY, ["-c", "import pandas"], { stdio: "ignore" }); return true; } catch { return false; }
    },
    cmd: (file) => [PY, ["-c", `
import json, resource, time, pandas as pd
t0 = time.perf_counter(); d = pd.read_csv(${JSON.stringify(file)}); ms = (time.perf_counter() - t0) * 1000
print(json.dumps({"ms": ms, "rows": len(d), "peakMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))`]],
  },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Print the ingest comparison as a markdown table (rows/s and peak memory, median of 3 runs each). */
export async function run(): Promise<void> {
  const file = ingestCsv();
  const mb = statSync(file).size / 2 ** 20;
  const baseline = Number(execFileSync(process.execPath, ["-e", "console.log(process.resourceUsage().maxRSS / 1024)"]).toString());
  console.log(`\n### Ingest: ${file} (1,000,000 rows x 9 columns, ${mb.toFixed(0)} MiB), median of ${RUNS} runs\n`);
  console.log("| reader | rows/s | time (s) | peak RSS (MiB) | peak / file size | vs pandas |");
  console.log("|---|---:|---:|---:|---:|---:|");
  const results: { name: string; s: Sample }[] = [];
  for (const c of contenders) {
    if (!c.available()) { console.log(`| ${c.name} | (not installed) | | | | |`); continue; }
    const samples: Sample[] = [];
    for (let i = 0; i < RUNS; i++) {
      const [cmd, args] = c.cmd(file);
      samples.push(JSON.parse(execFileSync(cmd, args, { maxBuffer: 1 << 20 }).toString().trim().split("\n").pop()!));
    }
    results.push({ name: c.name, s: { ms: median(samples.map((x) => x.ms)), rows: samples[0].rows, peakMB: median(samples.map((x) => x.peakMB)) } });
  }
  const pandas = results.find((r) => r.name === "pandas.read_csv");
  for (const { name, s } of results) {
    const rate = (s.rows / s.ms) * 1000;
    const vs = pandas ? `${(rate / ((pandas.s.rows / pandas.s.ms) * 1000)).toFixed(2)}x` : "";
    console.log(`| ${name} | ${Math.round(rate).toLocaleString("en")} | ${(s.ms / 1000).toFixed(2)} | ${s.peakMB.toFixed(0)} | ${(s.peakMB / mb).toFixed(2)} | ${vs} |`);
  }
  console.log(`\nPeak RSS includes the runtime (an empty node process: ${baseline.toFixed(0)} MiB). Targets: read >= 1.5x pandas, peak <= 2x the file.`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await run();
