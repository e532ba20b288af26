// Benchmark: data larger than memory — DuckDB-backed read.sql / read.*Batches and train.* from batches under a small V8 heap cap, beside pandas.
//
// Each contender runs in its own child process (Node with --max-old-space-size=CAP_MB) so its peak
// RSS is its own. Inputs: vega-datasets' 3M-row flights-3m.parquet, and a generated CSV several
// times larger than the heap cap (written to the OS temp folder, removed afterwards).
import { execFileSync } from "node:child_process";
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const PY = "/usr/bin/python3";
const CAP_MB = 64;
const CSV_ROWS = Number(process.env.MLNB_BENCH_BIG_ROWS ?? 12_000_000);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const FLIGHTS = join(ROOT, "node_modules", "vega-datasets", "data", "flights-3m.parquet");
const READ = fileURLToPath(new URL("../kernel/ml/read/index.js", import.meta.url));
const TRAIN = fileURLToPath(new URL("../kernel/ml/train/index.js", import.meta.url));

interface Sample { ms: number; rows: number; peakMB: number; result: string }

/** Write CSV_ROWS rows `a,b,g,y` (y = 2a - b + noise, g one of 8 groups) with a seeded generator. */
async function writeCsv(path: string): Promise<void> {
  const out = createWriteStream(path);
  let s = 12345;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  out.write("a,b,g,y\n");
  for (let i = 0; i < CSV_ROWS; ) {
    let chunk = "";
    for (let j = 0; j < 50_000 && i < CSV_ROWS; j++, i++) {
      const a = rnd() * 10, b = rnd() * 5;
      chunk += `${a.toFixed(4)},${b.toFixed(4)},g${i % 8},${(2 * a - b + (rnd() - 0.5) * 0.1).toFixed(4)}\n`;
    }
    if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
  }
  await new Promise<void>((r) => out.end(r));
}

const node = (body: string): [string, string[]] => [process.execPath, [`--max-old-space-size=${CAP_MB}`, "--input-type=module", "-e", `
const { read } = await import(${JSON.stringify(READ)});
// tfjs only where a case trains: it takes heap of its own
const train = ${JSON.stringify(body)}.includes("train.") ? (await import(${JSON.stringify(TRAIN)})).train : undefined;
const t0 = performance.now();
${body}
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, rows, peakMB: process.resourceUsage().maxRSS / 1024, result: String(result) }));`]];

const pandas = (body: string): [string, string[]] => [PY, ["-c", `
import json, resource, time, pandas as pd
t0 = time.perf_counter()
${body}
ms = (time.perf_counter() - t0) * 1000
print(json.dumps({"ms": ms, "rows": rows, "peakMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "result": str(result)}))`]];

function hasPandas(): boolean {
  try {
    execFileSync(PY, ["-c", "import pandas"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function measure(cmd: [string, string[]]): Sample | string {
  try {
    const out = execFileSync(cmd[0], cmd[1], { encoding: "utf8", maxBuffer: 16 << 20, stdio: ["ignore", "pipe", "pipe"] });
    return JSON.parse(out.trim().split("\n").at(-1)!) as Sample;
  } catch (e) {
    const err = e as { stderr?: string };
    return `failed: ${(err.stderr ?? String(e)).split("\n").find((l) => /Error|heap/i.test(l))?.slice(0, 80) ?? "see stderr"}`;
  }
}

/** Print one markdown table of the contenders. */
export async function run(): Promise<void> {
  if (!existsSync(FLIGHTS)) return console.log(`bigdata: ${FLIGHTS} missing (vega-datasets not installed)`);
  const dir = mkdtempSync(join(tmpdir(), "mlnb-bigdata-"));
  const csv = join(dir, "big.csv");
  try {
    await writeCsv(csv);
    const csvMB = statSync(csv).size / 2 ** 20;
    const flightsMB = statSync(FLIGHTS).size / 2 ** 20;
    const f = JSON.stringify(FLIGHTS);
    const c = JSON.stringify(csv);
    const cases: { what: string; who: string; cmd: [string, string[]] | undefined }[] = [
      { what: "flights-3m.parquet: mean delay by origin", who: "mlnb read.sql (DuckDB)", cmd: node(`const t = await read.sql("select origin, avg(delay) d, count(*) n from '" + ${f} + "' group by origin"); const rows = t.array("n").reduce((a, b) => a + b, 0); const result = t.numRows() + " origins";`) },
      { what: "flights-3m.parquet: mean delay by origin", who: "mlnb read.parquetBatches + arquero per batch", cmd: node(`let rows = 0, sum = 0; for await (const b of read.parquetBatches(${f}, { batchRows: 50000 })) { rows += b.numRows(); for (const v of b.array("delay")) sum += v; } const result = "mean " + (sum / rows).toFixed(4);`) },
      { what: "flights-3m.parquet: mean delay by origin", who: "mlnb read.parquet({ stream: \"auto\" }): over the budget, so batches", cmd: node(`const r = await read.parquet(${f}, { stream: "auto", batchRows: 50000 }); if (!read.isBatches(r)) throw new Error("expected batches under the cap"); const by = new Map(); let rows = 0; for await (const b of r) { rows += b.numRows(); const o = b.array("origin"), d = b.array("delay"); for (let i = 0; i < o.length; i++) { const s = by.get(o[i]) ?? [0, 0]; s[0] += d[i]; s[1]++; by.set(o[i], s); } } const result = by.size + " origins";`) },
      { what: "flights-3m.parquet: mean delay by origin", who: "mlnb read.parquet({ stream: false }) (hyparquet, whole table forced)", cmd: node(`const t = await read.parquet(${f}, { stream: false }); const rows = t.numRows(); const result = "whole table";`) },
      { what: `big.csv (${csvMB.toFixed(0)} MB): sum of y by g`, who: "mlnb read.sql (DuckDB)", cmd: node(`const t = await read.sql("select g, sum(y) s, count(*) n from read_csv('" + ${c} + "') group by g"); const rows = t.array("n").reduce((a, b) => a + b, 0); const result = t.numRows() + " groups";`) },
      { what: `big.csv (${csvMB.toFixed(0)} MB): sum of y by g`, who: "mlnb read.csvBatches + JS per batch", cmd: node(`let rows = 0, sum = 0; for await (const b of read.csvBatches(${c}, { batchRows: 50000 })) { rows += b.numRows(); for (const v of b.array("y")) sum += v; } const result = "sum " + sum.toFixed(1);`) },
      { what: `big.csv (${csvMB.toFixed(0)} MB): sum of y by g`, who: "mlnb read.csv({ stream: \"auto\" }): over the budget, so batches", cmd: node(`const r = await read.csv(${c}, { stream: "auto", batchRows: 50000 }); if (!read.isBatches(r)) throw new Error("expected batches under the cap"); const by = new Map(); let rows = 0; for await (const b of r) { rows += b.numRows(); const g = b.array("g"), y = b.array("y"); for (let i = 0; i < g.length; i++) by.set(g[i], (by.get(g[i]) ?? 0) + y[i]); } const result = by.size + " groups";`) },
      { what: `big.csv (${csvMB.toFixed(0)} MB): sum of y by g`, who: "pandas read_csv(chunksize=200k)", cmd: hasPandas() ? pandas(`rows = 0\nacc = None\nfor ch in pd.read_csv(${JSON.stringify(csv)}, chunksize=200000):\n    rows += len(ch)\n    s = ch.groupby("g")["y"].sum()\n    acc = s if acc is None else acc.add(s, fill_value=0)\nresult = str(len(acc)) + " groups"`) : undefined },
      { what: `big.csv (${csvMB.toFixed(0)} MB): whole file in memory`, who: "pandas read_csv (whole)", cmd: hasPandas() ? pandas(`d = pd.read_csv(${JSON.stringify(csv)})\nrows = len(d)\nresult = "whole"`) : undefined },
      { what: `big.csv (${csvMB.toFixed(0)} MB): linear regression y ~ a + b, 1 epoch`, who: "mlnb train.linearRegression(read.csvBatches)", cmd: node(`const m = await train.linearRegression(read.csvBatches(${c}, { batchRows: 50000 }), { target: "y", features: ["a", "b"], epochs: 1, batchSize: 1024, learningRate: 0.01, seed: 1, progress: false }); const rows = ${CSV_ROWS}; const result = "pred(a=1,b=1) " + m.predict((await import("arquero")).table({ a: [1], b: [1] }))[0].toFixed(3);`) },
    ];
    console.log(`\n## bigdata: larger than memory (Node heap capped at ${CAP_MB} MB; flights-3m.parquet ${flightsMB.toFixed(0)} MB, generated big.csv ${csvMB.toFixed(0)} MB = ${(csvMB / CAP_MB).toFixed(1)}x the cap, ${CSV_ROWS.toLocaleString("en")} rows)\n`);
    console.log("| task | contender | time | rows/s | peak RSS | result |\n|---|---|---:|---:|---:|---|");
    for (const k of cases) {
      if (!k.cmd) {
        console.log(`| ${k.what} | ${k.who} | — | — | — | not available here |`);
        continue;
      }
      const s = measure(k.cmd);
      if (typeof s === "string") console.log(`| ${k.what} | ${k.who} | — | — | — | ${s} |`);
      else console.log(`| ${k.what} | ${k.who} | ${(s.ms / 1000).toFixed(2)} s | ${Math.round(s.rows / (s.ms / 1000)).toLocaleString("en")} | ${s.peakMB.toFixed(0)} MB | ${s.result} |`);
    }
    console.log("\nDuckDB's own CLI is not installed here, and pandas cannot read Parquet without pyarrow (absent), so pandas appears on the CSV rows only.");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
