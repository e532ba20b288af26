// Benchmark: MLP (64-64, batch 256) training samples/s on 50,000 x 20 rows per tfjs backend, vs scikit-learn.
//
// Rows compared: tfjs's own model.fit on the same network (the naive way); mlnb's seeded loop with
// autograd and tfjs's Adam (engine "autograd": dense layers with an untransposed-matMul gradient);
// mlnb's default fast step (hand-written backward, host-side Adam, ~50 kernels a step); and
// scikit-learn's MLPClassifier run by Debian's python3 as a child process on the same data
// (skipped when python3-sklearn is missing). The machine is shared: compare rows of one run.
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import * as aq from "arquero";
import { mulberry32 } from "../kernel/ml/context.js";
import { initTf, tf } from "../kernel/ml/tf.js";
import { train } from "../kernel/ml/train/index.js";

const ROWS = 50_000;
const COLS = 20;
const BATCH = 256;
const EPOCHS = 2;

const PYTHON = String.raw`
import json, sys, time, warnings
import numpy as np
from sklearn.neural_network import MLPClassifier
warnings.filterwarnings("ignore")
x = np.fromfile(sys.argv[1], dtype=np.float32).reshape(-1, ${COLS}).astype(np.float64)
y = np.fromfile(sys.argv[2], dtype=np.int32)
epochs, runs = int(sys.argv[3]), int(sys.argv[4])
ts = []
for r in range(runs):
    m = MLPClassifier(hidden_layer_sizes=(64, 64), batch_size=${BATCH}, max_iter=epochs, learning_rate_init=0.001,
                      alpha=1e-4, tol=0, n_iter_no_change=10**9, shuffle=True, random_state=r)
    t = time.perf_counter(); m.fit(x, y); ts.append(time.perf_counter() - t)
ts.sort()
print(json.dumps({"seconds": ts[len(ts) // 2], "accuracy": float(m.score(x, y))}))
`;

interface Row { backend: string; method: string; samplesPerSec: number; msPerStep: number; note: string }

function data(): { x: Float32Array; y: Int32Array; table: aq.ColumnTable } {
  const r = mulberry32(2026);
  const x = new Float32Array(ROWS * COLS);
  const y = new Int32Array(ROWS);
  const w = Array.from({ length: COLS }, () => r() * 2 - 1);
  for (let i = 0; i < ROWS; i++) {
    let s = 0;
    for (let j = 0; j < COLS; j++) { const v = r() * 2 - 1; x[i * COLS + j] = v; s += v * w[j]; }
    y[i] = s + (r() - 0.5) * 0.5 > 0 ? 1 : 0;
  }
  const cols: Record<string, Float32Array | string[]> = {};
  for (let j = 0; j < COLS; j++) cols[`f${j}`] = Float32Array.from({ length: ROWS }, (_, i) => x[i * COLS + j]);
  cols.label = Array.from(y, (v) => (v ? "yes" : "no"));
  return { x, y, table: aq.table(cols) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function naiveFit(x: Float32Array, y: Int32Array, epochs: number): Promise<number> {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 64, activation: "relu", inputShape: [COLS] }),
      tf.layers.dense({ units: 64, activation: "relu" }),
      tf.layers.dense({ units: 2, activation: "softmax" }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.001), loss: "categoricalCrossentropy" });
  const xs = tf.tensor2d(x, [ROWS, COLS]);
  const ys = tf.oneHot(tf.tensor1d(y, "int32"), 2);
  const t = performance.now();
  await model.fit(xs, ys, { batchSize: BATCH, epochs, shuffle: true, verbose: 0 });
  const ms = performance.now() - t;
  tf.dispose([xs, ys]);
  model.dispose();
  return ms;
}

async function ours(table: aq.ColumnTable, epochs: number, engine: "auto" | "autograd"): Promise<{ ms: number; acc: number }> {
  const t = performance.now();
  const m = await train.mlpClassifier(table, { target: "label", layers: [64, 64], batchSize: BATCH, epochs, seed: 1, progress: false, engine });
  const ms = performance.now() - t;
  const acc = m.history.acc[m.history.acc.length - 1];
  m.dispose();
  return { ms, acc };
}

function sklearn(x: Float32Array, y: Int32Array, dir: string, runs: number): Promise<Row | string> {
  return (async () => {
    const xf = path.join(dir, "x.f32");
    const yf = path.join(dir, "y.i32");
    await writeFile(xf, new Uint8Array(x.buffer));
    await writeFile(yf, new Uint8Array(y.buffer));
    const p = spawnSync("/usr/bin/python3", ["-c", PYTHON, xf, yf, String(EPOCHS), String(runs)], { encoding: "utf8" });
    if (p.status !== 0) return `scikit-learn skipped: ${(p.stderr || p.error?.message || "").trim().split("\n").pop()}`;
    const out = JSON.parse(p.stdout) as { seconds: number; accuracy: number };
    const steps = Math.ceil(ROWS / BATCH) * EPOCHS;
    return { backend: "numpy (float64)", method: "scikit-learn MLPClassifier", samplesPerSec: (ROWS * EPOCHS) / out.seconds, msPerStep: (out.seconds * 1000) / steps, note: `train accuracy ${out.accuracy.toFixed(3)}` };
  })();
}

/** Print the samples/s table (median of runs; cpu gets one short run: it is ~30x slower per matMul). */
export async function run(): Promise<void> {
  await initTf();
  const { x, y, table } = data();
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const backend of ["wasm", "cpu"] as const) {
    if (!(await tf.setBackend(backend))) { notes.push(`${backend}: backend did not load`); continue; }
    const runs = backend === "wasm" ? 3 : 1;
    const epochs = backend === "wasm" ? EPOCHS : 1;
    const steps = Math.ceil(ROWS / BATCH) * epochs;
    const naive: number[] = [];
    for (let i = 0; i < runs; i++) naive.push(await naiveFit(x, y, epochs));
    rows.push({ backend, method: "tfjs model.fit (naive)", samplesPerSec: (ROWS * epochs) / (median(naive) / 1000), msPerStep: median(naive) / steps, note: `${epochs} epoch(s), median of ${runs}` });
    for (const [engine, label] of [["autograd", "mlnb loop, autograd + tfjs Adam"], ["auto", "mlnb train.mlpClassifier (fast step)"]] as const) {
      const mine: number[] = [];
      let acc = 0;
      for (let i = 0; i < runs; i++) { const r = await ours(table, epochs, engine); mine.push(r.ms); acc = r.acc; }
      rows.push({ backend, method: label, samplesPerSec: (ROWS * epochs) / (median(mine) / 1000), msPerStep: median(mine) / steps, note: `${epochs} epoch(s), median of ${runs}, train acc ${acc.toFixed(3)}` });
    }
  }
  await tf.setBackend("wasm");
  const dir = await mkdtemp(path.join(tmpdir(), "mlnb-bench-train-"));
  try {
    const s = await sklearn(x, y, dir, 3);
    if (typeof s === "string") notes.push(s);
    else rows.push(s);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`\n### MLP training (64-64, batch ${BATCH}) on ${ROWS.toLocaleString("en")} x ${COLS}\n`);
  console.log("| backend | method | samples/s | ms/step | note |");
  console.log("|---|---|---:|---:|---|");
  for (const r of rows) console.log(`| ${r.backend} | ${r.method} | ${Math.round(r.samplesPerSec).toLocaleString("en")} | ${r.msPerStep.toFixed(2)} | ${r.note} |`);
  for (const n of notes) console.log(`\n${n}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
