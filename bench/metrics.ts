// Benchmark: evaluate's classification/regression metrics on 1,000,000 predictions vs scikit-learn's.
//
// scikit-learn runs in Debian's python3 as a child process on the same arrays (read from temp files),
// timed inside Python so process start-up is not counted. Target: <= 1/5 of scikit-learn's time.
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { mulberry32 } from "../kernel/ml/context.js";
import { evaluate } from "../kernel/ml/evaluate/index.js";

const N = 1_000_000;
const RUNS = 5;
const NAMES = ["Adelie", "Chinstrap", "Gentoo"];

const PYTHON = String.raw`
import json, sys, time
import numpy as np
from sklearn import metrics as M
d = sys.argv[1]
# int64, numpy's default integer: sklearn is ~2x slower on int32 labels
yt = np.fromfile(d + "/yt.i32", dtype=np.int32).astype(np.int64); yp = np.fromfile(d + "/yp.i32", dtype=np.int32).astype(np.int64)
sc = np.fromfile(d + "/sc.f64", dtype=np.float64)
names = np.array(${JSON.stringify(NAMES)})
st = names[np.fromfile(d + "/st.i32", dtype=np.int32)]; sp = names[np.fromfile(d + "/sp.i32", dtype=np.int32)]
rt = np.fromfile(d + "/rt.f64", dtype=np.float64); rp = np.fromfile(d + "/rp.f64", dtype=np.float64)
def timed(f):
    ts = []
    for _ in range(${RUNS}):
        t = time.perf_counter(); v = f(); ts.append(time.perf_counter() - t)
    return sorted(ts)[len(ts) // 2] * 1000, v
out = {}
out["f1"] = timed(lambda: M.f1_score(yt, yp))
out["all"] = timed(lambda: (M.accuracy_score(yt, yp), M.precision_recall_fscore_support(yt, yp, average="binary"), M.confusion_matrix(yt, yp).tolist()))
out["scores"] = timed(lambda: (M.roc_auc_score(yt, sc), M.log_loss(yt, sc)))
out["macro"] = timed(lambda: M.f1_score(st, sp, average="macro"))
out["regression"] = timed(lambda: (M.mean_squared_error(rt, rp), M.mean_absolute_error(rt, rp), M.r2_score(rt, rp)))
out = {k: {"ms": v[0], "value": v[1] if k in ("f1", "macro") else (v[1][0] if k == "scores" else None), "ll": v[1][1] if k == "scores" else None} for k, v in out.items()}
print(json.dumps(out))
`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timed<T>(f: () => T): { ms: number; value: T } {
  const ts: number[] = [];
  let value!: T;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    value = f();
    ts.push(performance.now() - t);
  }
  return { ms: median(ts), value };
}

/** Print ours vs scikit-learn per metric group (median of runs). */
export async function run(): Promise<void> {
  const r = mulberry32(7);
  const yt = new Int32Array(N), yp = new Int32Array(N), st = new Int32Array(N), sp = new Int32Array(N);
  const sc = new Float64Array(N), rt = new Float64Array(N), rp = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    yt[i] = r() < 0.4 ? 1 : 0;
    sc[i] = Math.min(1, Math.max(0, 0.3 * yt[i] + 0.7 * r()));
    yp[i] = sc[i] > 0.5 ? 1 : 0;
    st[i] = Math.floor(r() * 3);
    sp[i] = r() < 0.7 ? st[i] : Math.floor(r() * 3);
    rt[i] = r() * 100;
    rp[i] = rt[i] + (r() - 0.5) * 10;
  }
  const sTrue = Array.from(st, (c) => NAMES[c]);
  const sPred = Array.from(sp, (c) => NAMES[c]);

  const ours = {
    f1: timed(() => evaluate.classification(yt, yp).f1),
    all: timed(() => evaluate.classification(yt, yp)),
    scores: timed(() => evaluate.classification(yt, yp, { scores: sc })),
    macro: timed(() => evaluate.classification(sTrue, sPred, { average: "macro" }).f1),
    regression: timed(() => evaluate.regression(rt, rp)),
  };

  const dir = await mkdtemp(path.join(tmpdir(), "mlnb-bench-metrics-"));
  let sk: Record<string, { ms: number; value: number | null; ll: number | null }> | undefined;
  let note = "";
  try {
    const files: [string, ArrayBufferView][] = [["yt.i32", yt], ["yp.i32", yp], ["sc.f64", sc], ["st.i32", st], ["sp.i32", sp], ["rt.f64", rt], ["rp.f64", rp]];
    for (const [name, data] of files) await writeFile(path.join(dir, name), new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    const p = spawnSync("/usr/bin/python3", ["-c", PYTHON, dir], { encoding: "utf8", maxBuffer: 1 << 20 });
    if (p.status === 0) sk = JSON.parse(p.stdout);
    else note = `scikit-learn skipped: ${(p.stderr || p.error?.message || "").trim().split("\n").pop()}`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  const rows: [string, string, number, number | undefined, string][] = [
    ["f1 (binary, int labels)", "f1_score", ours.f1.ms, sk?.f1.ms, sk ? `|diff| ${Math.abs(ours.f1.value - sk.f1.value!).toExponential(1)}` : ""],
    ["evaluate.classification (accuracy, p/r/f1, confusion)", "accuracy_score + precision_recall_fscore_support + confusion_matrix", ours.all.ms, sk?.all.ms, ""],
    ["... with scores (rocAuc, logLoss)", "roc_auc_score + log_loss", ours.scores.ms, sk?.scores.ms, sk ? `|diff| auc ${Math.abs(ours.scores.value.rocAuc! - sk.scores.value!).toExponential(1)}, logLoss ${Math.abs(ours.scores.value.logLoss! - sk.scores.ll!).toExponential(1)}` : ""],
    ["f1 macro (3 string labels)", "f1_score(average=\"macro\")", ours.macro.ms, sk?.macro.ms, sk ? `|diff| ${Math.abs(ours.macro.value - sk.macro.value!).toExponential(1)}` : ""],
    ["evaluate.regression (mse, rmse, mae, r2)", "mean_squared_error + mean_absolute_error + r2_score", ours.regression.ms, sk?.regression.ms, ""],
  ];
  console.log(`\n### Metrics on ${N.toLocaleString("en")} predictions (median of ${RUNS})\n`);
  console.log("| mlnb | ms | scikit-learn | ms | mlnb / sklearn | note |");
  console.log("|---|---:|---|---:|---:|---|");
  for (const [a, b, ms, skMs, n] of rows) {
    console.log(`| ${a} | ${ms.toFixed(1)} | ${b} | ${skMs === undefined ? "-" : skMs.toFixed(1)} | ${skMs === undefined ? "-" : (ms / skMs).toFixed(3)} | ${n} |`);
  }
  if (note) console.log(`\n${note}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
