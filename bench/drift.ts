// Benchmark: drift.report on 1,000,000 rows x 10 numeric columns vs SciPy doing the same work on the same data.
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { mulberry32 } from "../kernel/ml/context.js";
import { ks, report } from "../kernel/ml/drift/index.js";

const ROWS = 1_000_000;
const COLS = 10;
const RUNS = 3;

// SciPy side: Evidently's choice for > 1000 reference rows (normalised Wasserstein), and ks_2samp on one column.
const PYTHON = String.raw`
import json, sys, time
import numpy as np
from scipy import stats
ref = np.fromfile(sys.argv[1], dtype=np.float64).reshape(${COLS}, ${ROWS})
cur = np.fromfile(sys.argv[2], dtype=np.float64).reshape(${COLS}, ${ROWS})
def report():
    out = []
    for c in range(${COLS}):
        a, b = ref[c], cur[c]
        n = len(np.unique(np.concatenate([a, b])))
        d = stats.wasserstein_distance(a, b) / max(np.std(a), 0.001) if n > 5 else None
        out.append(d)
    return out
def timed(f):
    ts = []
    for _ in range(${RUNS}):
        t = time.perf_counter(); v = f(); ts.append(time.perf_counter() - t)
    return sorted(ts)[len(ts) // 2], v
tr, scores = timed(report)
tk, k = timed(lambda: stats.ks_2samp(ref[0], cur[0]))
print(json.dumps({"report": tr, "ks": tk, "scores": scores, "ksStatistic": float(k.statistic), "ksP": float(k.pvalue)}))
`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function columns(seed: number, shiftEvery: number): Record<string, Float64Array> {
  const rnd = mulberry32(seed);
  const out: Record<string, Float64Array> = {};
  for (let c = 0; c < COLS; c++) {
    const col = new Float64Array(ROWS);
    const shift = shiftEvery && c % shiftEvery === 0 ? 0.05 : 0;
    for (let i = 0; i < ROWS; i++) col[i] = rnd() + rnd() + rnd() + shift;
    out[`x${c}`] = col;
  }
  return out;
}

function packed(cols: Record<string, Float64Array>): Buffer {
  const all = new Float64Array(COLS * ROWS);
  Object.values(cols).forEach((col, c) => all.set(col, c * ROWS));
  return Buffer.from(all.buffer);
}

/** Print the comparison table (median of 3 runs each). */
export async function run(): Promise<void> {
  const ref = columns(1, 0);
  const cur = columns(2, 3);
  const tReport: number[] = [];
  const tKs: number[] = [];
  let r = report(ref, cur);
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    r = report(ref, cur);
    tReport.push((performance.now() - t) / 1000);
    t = performance.now();
    ks(ref.x0, cur.x0);
    tKs.push((performance.now() - t) / 1000);
  }
  const dir = await mkdtemp(path.join(tmpdir(), "mlnb-bench-drift-"));
  let py: { report: number; ks: number; scores: number[]; ksStatistic: number; ksP: number } | null = null;
  let pyError = "";
  try {
    const a = path.join(dir, "ref.f64");
    const b = path.join(dir, "cur.f64");
    await writeFile(a, packed(ref));
    await writeFile(b, packed(cur));
    const p = spawnSync("/usr/bin/python3", ["-c", PYTHON, a, b], { encoding: "utf8", maxBuffer: 1 << 20 });
    if (p.status === 0) py = JSON.parse(p.stdout);
    else pyError = (p.stderr || p.error?.message || "failed").trim().split("\n").pop() ?? "";
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const maxDiff = py ? Math.max(...r.columns.map((c, i) => Math.abs(c.score - (py!.scores[i] ?? NaN)))) : NaN;
  const fmt = (s: number) => `${s.toFixed(3)} s`;
  console.log(`\n### drift: ${ROWS.toLocaleString("en-US")} rows x ${COLS} columns (median of ${RUNS})\n`);
  console.log("| task | mlnb | SciPy | mlnb / SciPy |");
  console.log("|---|---|---|---|");
  console.log(`| drift.report (normalised Wasserstein per column) | ${fmt(median(tReport))} | ${py ? fmt(py.report) : "n/a"} | ${py ? (median(tReport) / py.report).toFixed(2) : "n/a"} |`);
  console.log(`| ks on one column, 1M vs 1M | ${fmt(median(tKs))} | ${py ? fmt(py.ks) : "n/a"} | ${py ? (median(tKs) / py.ks).toFixed(2) : "n/a"} |`);
  console.log(`\n${r.nDrifted} of ${COLS} columns drifted; largest score difference from SciPy: ${maxDiff.toExponential(2)}${pyError ? `; SciPy not run: ${pyError}` : ""}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
