// Benchmark: tune.gridSearch on 1, 2 and the core count of threads beside scikit-learn's GridSearchCV(n_jobs=-1) on the same grid.
//
// One table (seeded, 1,500 rows x 8 features, 3 classes), one grid of 8 MLP candidates, 3 folds,
// 40 epochs: 24 fits. Each mlnb row runs in this process; GridSearchCV runs in Debian's python3
// (skipped when python3-sklearn is missing). The first search on pool threads starts them (cold);
// later searches lease them warm. Warm rows alternate with workers: 1 and report medians of
// REPEATS runs, so a load change on this shared machine hits both sides alike. A last row times
// the start of one pool thread on its own (what a default search weighs before starting cold ones).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import * as aq from "arquero";
import { mulberry32, withContext } from "../kernel/ml/context.js";
import { tune } from "../kernel/ml/tune/index.js";
import { closePool, warmPool } from "../kernel/ml/tune/pool.js";

const ROWS = 1500, COLS = 8, EPOCHS = 40, FOLDS = 3, REPEATS = 3;
const GRID = { layers: [[16], [32], [16, 16], [32, 16]], learningRate: [0.01, 0.003] };

function table(): aq.ColumnTable {
  const r = mulberry32(11);
  const cols: Record<string, number[] | string[]> = {};
  const label: string[] = [];
  for (let j = 0; j < COLS; j++) cols[`x${j}`] = [];
  for (let i = 0; i < ROWS; i++) {
    const c = i % 3;
    for (let j = 0; j < COLS; j++) (cols[`x${j}`] as number[]).push(c * (j % 3 === c ? 1.5 : 0.2) + (r() - 0.5) * 2);
    label.push(`c${c}`);
  }
  return aq.table({ ...cols, label });
}

const PYTHON = String.raw`
import json, sys, time, warnings
import pandas as pd
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.neural_network import MLPClassifier
warnings.filterwarnings("ignore")
d = pd.read_csv(sys.argv[1]); y = d.pop("label")
grid = {"hidden_layer_sizes": [(16,), (32,), (16, 16), (32, 16)], "learning_rate_init": [0.01, 0.003]}
m = MLPClassifier(max_iter=${EPOCHS}, batch_size=200, tol=0, n_iter_no_change=10**9, random_state=0)
t = time.perf_counter()
g = GridSearchCV(m, grid, cv=StratifiedKFold(${FOLDS}, shuffle=True, random_state=0), n_jobs=-1, refit=False).fit(d, y)
print(json.dumps({"seconds": time.perf_counter() - t, "best": g.best_score_}))
`;

interface Timing { s: number; cpu: number; best: number; scores: string }

async function once(t: aq.ColumnTable, workers: number): Promise<Timing> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  // Progress lines stay out of the table (the seed is given, so the context's generator is unused).
  const quiet = { display() {}, metric() {}, param() {}, random: Math.random, seed: () => 1 };
  const res = await withContext(quiet, () => tune.gridSearch(t, GRID, { model: "mlpClassifier", target: "label", base: { epochs: EPOCHS, batchSize: 200 }, folds: FOLDS, seed: 1, refit: false, workers }));
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  return { s, cpu: (cpu.user + cpu.system) / 1e6, best: res.bestScore, scores: JSON.stringify(res.results.array("mean_test_score")) };
}

function autogroup(): boolean {
  try {
    return readFileSync("/proc/sys/kernel/sched_autogroup_enabled", "utf8").trim() === "1";
  } catch {
    return false;
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Print the table. */
export async function run(): Promise<void> {
  const startLoad = loadavg()[0]!;
  const t = table();
  const rows: [string, number, number, number][] = [];
  const cores = availableParallelism();
  const counts = [...new Set([2, cores])];
  // workers: 1 first, so the calling thread's JIT is warm before any comparison.
  const first = await once(t, 1);
  const baseline = first.scores;
  const same = (x: Timing) => (x.scores === baseline ? "" : " (SCORES DIFFER)");
  const cold = await once(t, 2);
  const runs = new Map<number, Timing[]>([1, ...counts].map((n) => [n, []]));
  for (let r = 0; r < REPEATS; r++) {
    for (const n of [1, ...counts]) runs.get(n)!.push(await once(t, n));
  }
  await closePool();
  for (const [n, xs] of runs) {
    const m = { s: median(xs.map((x) => x.s)), cpu: median(xs.map((x) => x.cpu)), best: xs[0]!.best };
    const differ = xs.map(same).find(Boolean) ?? "";
    const isDefault = n === cores ? ", the default here (the core count)" : "";
    rows.push([`mlnb tune.gridSearch, workers: ${n}${n > 1 ? ", pool warm" : ""}${isDefault} (median of ${xs.length})${differ}`, m.s, m.best, m.cpu]);
    if (n === 2) rows.push([`mlnb tune.gridSearch, workers: 2, pool cold (first search: starts the thread)${same(cold)}`, cold.s, cold.best, cold.cpu]);
  }
  // one cold thread on its own: loading tfjs and arquero and initialising the backend, no fit
  const starts: Timing[] = [];
  for (let r = 0; r < REPEATS; r++) {
    await closePool();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await warmPool(1);
    const cpu = process.cpuUsage(c0);
    starts.push({ s: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6, best: NaN, scores: "" });
  }
  await closePool();
  const dir = mkdtempSync(join(tmpdir(), "mlnb-bench-tune-"));
  try {
    const csv = join(dir, "t.csv");
    writeFileSync(csv, aq.toCSV(t));
    const py = spawnSync("/usr/bin/python3", ["-c", PYTHON, csv], { encoding: "utf8" });
    if (py.status === 0) {
      const r = JSON.parse(py.stdout.trim()) as { seconds: number; best: number };
      rows.push([`scikit-learn GridSearchCV(n_jobs=-1)`, r.seconds, r.best, NaN]);
    } else rows.push([`scikit-learn GridSearchCV: not available (${(py.stderr || "no python3").split("\n").filter(Boolean).at(-1)})`, NaN, NaN, NaN]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  rows.push([`starting one pool thread, no fit (warmPool(1), median of ${REPEATS})`, median(starts.map((x) => x.s)), NaN, median(starts.map((x) => x.cpu))]);
  const one = rows[0]![1];
  const sk = rows.find(([name]) => name.startsWith("scikit-learn GridSearchCV("))?.[1] ?? NaN;
  console.log(`\n## tune: ${Object.values(GRID).reduce((n, v) => n * v.length, 1)} candidates x ${FOLDS} folds = ${8 * FOLDS} fits (MLP, ${EPOCHS} epochs, ${ROWS} rows x ${COLS}), ${cores} cores\n`);
  console.log("workers: n = the calling thread and n - 1 pool threads; tfjs's wasm backend runs single-threaded in Node, so n threads use n cores\n");
  console.log(`load average at the start ${startLoad.toFixed(1)}, at the end ${loadavg()[0]!.toFixed(1)}: a speed-up needs a free core (compare CPU time with wall time)${autogroup() ? "; with the scheduler's autogroup on (it is here), a busy machine gives all threads of this process one fair share together" : ""}\n`);
  const oneCpu = rows[0]![3];
  console.log("| run | time | speed-up vs workers: 1 | speed-up vs GridSearchCV(n_jobs=-1) | CPU time (all threads) | CPU time vs workers: 1 | CPU / wall | best mean score |\n|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const [name, s, best, cpu] of rows) {
    const nan = (v: number, f: string) => (Number.isNaN(v) ? "—" : f);
    const search = !name.startsWith("starting");
    console.log(`| ${name} | ${nan(s, `${s.toFixed(2)} s`)} | ${search ? nan(s, `${(one / s).toFixed(2)}x`) : "—"} | ${search ? nan(sk + s, `${(sk / s).toFixed(2)}x`) : "—"} | ${nan(cpu, `${cpu.toFixed(2)} s`)} | ${nan(cpu, `${(cpu / oneCpu).toFixed(2)}x`)} | ${nan(cpu, (cpu / s).toFixed(2))} | ${nan(best, best.toFixed(4))} |`);
  }
}
