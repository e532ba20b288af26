// Benchmark: ingest of a seeded 1,000,000-row, 9-column CSV by `read` vs arquero's fromCSV vs pandas.read_csv.
//
// Each contender runs in its own child process so that its peak RSS (which includes the
// runtime's own baseline) can be measured; the table shows the median of several runs.
import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ingestCsv } from "./data/ingest-csv.js";

interface Sample { ms: number; rows: number; peakMB: number; cpuS: number }

const PY = "/usr/bin/python3";
const RUNS = 5;

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
      console.log(JSON.stringify({ ms, rows: t.numRows(), peakMB: process.resourceUsage().maxRSS / 1024, cpuS: (process.cpuUsage().user + process.cpuUsage().system) / 1e6 }));`)],
  },
  {
    name: "arquero fromCSV",
    available: () => true,
    cmd: (file) => [process.execPath, nodeScript(`
      const aq = await import("arquero"); const { readFileSync } = await import("node:fs");
      const t0 = performance.now(); const t = aq.fromCSV(readFileSync(${JSON.stringify(file)}, "utf8")); const ms = performance.now() - t0;
      console.log(JSON.stringify({ ms, rows: t.numRows(), peakMB: process.resourceUsage().maxRSS / 1024, cpuS: (process.cpuUsage().user + process.cpuUsage().system) / 1e6 }));`)],
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
u = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"ms": ms, "rows": len(d), "peakMB": u.ru_maxrss / 1024, "cpuS": u.ru_utime + u.ru_stime}))`]],
  },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Print the ingest comparison as a markdown table (rows/s, CPU and peak memory; median of 5 interleaved rounds). */
export async function run(): Promise<void> {
  const file = ingestCsv();
  const mb = statSync(file).size / 2 ** 20;
  const baseline = Number(execFileSync(process.execPath, ["-e", "console.log(process.resourceUsage().maxRSS / 1024)"]).toString());
  console.log(`\n### Ingest: ${file} (1,000,000 rows x 9 columns, ${mb.toFixed(0)} MiB), median of ${RUNS} runs\n`);
  console.log("| reader | rows/s | time (s) | process CPU (s) | peak RSS (MiB) | peak / file size | rows/s vs pandas |");
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  // rounds interleave the contenders, so load from other processes on the box hits all alike
  const present = contenders.filter((c) => {
    if (c.available()) return true;
    console.log(`| ${c.name} | (not installed) | | | | | |`);
    return false;
  });
  const samples = new Map<string, Sample[]>(present.map((c) => [c.name, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const c of present) {
      const [cmd, args] = c.cmd(file);
      samples.get(c.name)!.push(JSON.parse(execFileSync(cmd, args, { maxBuffer: 1 << 20 }).toString().trim().split("\n").pop()!));
    }
  }
  const results = present.map((c) => {
    const xs = samples.get(c.name)!;
    return { name: c.name, s: { ms: median(xs.map((x) => x.ms)), rows: xs[0].rows, peakMB: median(xs.map((x) => x.peakMB)), cpuS: median(xs.map((x) => x.cpuS)) } };
  });
  const pandas = results.find((r) => r.name === "pandas.read_csv");
  for (const { name, s } of results) {
    const rate = (s.rows / s.ms) * 1000;
    const vs = pandas ? `${(rate / ((pandas.s.rows / pandas.s.ms) * 1000)).toFixed(2)}x` : "";
    console.log(`| ${name} | ${Math.round(rate).toLocaleString("en")} | ${(s.ms / 1000).toFixed(2)} | ${s.cpuS.toFixed(2)} | ${s.peakMB.toFixed(0)} | ${(s.peakMB / mb).toFixed(2)} | ${vs} |`);
  }
  console.log(`\nPeak RSS includes the runtime (an empty node process: ${baseline.toFixed(0)} MiB); process CPU includes start-up and imports.`);
  console.log("Targets: read >= 1.5x pandas rows/s, peak <= 2x the file. On a busy machine compare within one run only.");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await run();
