// Benchmark: single-row POST /predict on `mlnb serve` vs a bare node:http JSON echo server, and its latency under hostile clients.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as aq from "arquero";
import { bundle } from "../kernel/ml/deploy/index.js";
import * as prep from "../kernel/ml/prep/index.js";
import { train } from "../kernel/ml/train/index.js";
import { HOSTILE } from "./clients/hostile.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CONNECTIONS = 32;
const SECONDS = 10;
const RUNS = 3;
/** Valid requests per second in the latency runs: a steady load, so latency is service time, not a saturated queue. */
const RATE = 200;

interface Result {
  requests: { average: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
}
const autocannon = createRequire(import.meta.url)("autocannon") as (opts: Record<string, unknown>) => Promise<Result>;

// The bare baseline: parse the JSON body and send it back, nothing else.
const BARE = `
import http from "node:http";
const s = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const text = JSON.stringify(JSON.parse(Buffer.concat(chunks).toString("utf8")));
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
  });
});
s.listen(0, "127.0.0.1", () => console.log("listening on http://127.0.0.1:" + s.address().port));
`;

function start(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) resolve({ child, url: m[1] });
    });
    child.on("exit", (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  child.removeAllListeners("exit");
  const done = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await done;
}

async function makeBundle(dir: string): Promise<Record<string, unknown>> {
  const rows = JSON.parse(await readFile(path.join(ROOT, "node_modules/vega-datasets/data/penguins.json"), "utf8")) as Record<string, unknown>[];
  const numeric = ["Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)"];
  const table = aq.from(rows);
  const preprocess = prep.pipeline([
    prep.simpleImputer({ strategy: "median", columns: numeric }),
    prep.simpleImputer({ strategy: "most_frequent", columns: ["Sex"] }),
    prep.oneHotEncoder({ columns: ["Island", "Sex"] }),
    prep.standardScaler({ columns: numeric }),
  ]);
  const model = await train.logisticRegression(preprocess.fitTransform(table), { target: "Species", epochs: 10, seed: 1, progress: false });
  await bundle(dir, { preprocess, model, reference: table });
  model.dispose();
  const { Species: _s, ...row } = rows[0];
  return row;
}

async function measure(url: string, pathname: string, body: string): Promise<Result> {
  return autocannon({ url: `${url}${pathname}`, method: "POST", headers: { "content-type": "application/json" }, body, connections: CONNECTIONS, duration: SECONDS });
}

/** Valid single-row requests at a fixed RATE over 8 connections. */
async function steady(url: string, body: string): Promise<Result> {
  return autocannon({ url: `${url}/predict`, method: "POST", headers: { "content-type": "application/json" }, body, connections: 8, overallRate: RATE, duration: SECONDS });
}

interface HostileStats { slowHeaderSockets: number; slowBodySockets: number; slowClosedByServer: number; oversized: number; malformed: number; status: Record<string, number>; errors: number }

/** Valid latency on a fresh `mlnb serve`, alone and then while the hostile clients run; the server must answer /health after. */
async function underAttack(dir: string, body: string): Promise<{ alone: Result; attacked: Result; hostile: HostileStats }> {
  const m = await start([path.join(ROOT, "bin/mlnb.js"), "serve", dir, "--port", "0"]);
  try {
    const alone = await steady(m.url, body);
    const h = spawn(process.execPath, ["--input-type=module", "-e", HOSTILE], { cwd: ROOT, env: { ...process.env, URL: m.url }, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    h.stdout!.on("data", (d) => (out += d));
    await new Promise((r) => setTimeout(r, 2000)); // the slow sockets are open before measuring
    const attacked = await steady(m.url, body);
    const exited = new Promise((r) => h.once("exit", r));
    h.kill("SIGTERM");
    await exited;
    const hostile = JSON.parse(out.trim().split("\n").at(-1)!) as HostileStats;
    const health = await fetch(`${m.url}/health`);
    if (health.status !== 200) throw new Error(`mlnb serve answered /health with ${health.status} after the hostile clients`);
    return { alone, attacked, hostile };
  } finally {
    await stop(m.child);
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Print req/s and p99 of both servers (each the median of runs) and their ratios. */
export async function run(): Promise<void> {
  const tmp = await mkdtemp(path.join(tmpdir(), "mlnb-bench-serve-"));
  const dir = path.join(tmp, "penguins");
  try {
    const row = await makeBundle(dir);
    const body = JSON.stringify([row]);
    const bare: Result[] = [];
    const model: Result[] = [];
    for (let i = 0; i < RUNS; i++) {
      const b = await start(["--input-type=module", "-e", BARE]);
      bare.push(await measure(b.url, "/", body));
      await stop(b.child);
      const m = await start([path.join(ROOT, "bin/mlnb.js"), "serve", dir, "--port", "0"]);
      model.push(await measure(m.url, "/predict", body));
      await stop(m.child);
    }
    const rps = (rs: Result[]) => median(rs.map((r) => r.requests.average));
    const p99 = (rs: Result[]) => median(rs.map((r) => r.latency.p99));
    const bad = (rs: Result[]) => rs.reduce((n, r) => n + r.non2xx + r.errors, 0);
    console.log(`\n### serve: single-row POST, autocannon ${CONNECTIONS} connections x ${SECONDS} s (median of ${RUNS})\n`);
    console.log("| server | req/s | p99 (ms) | non-2xx + errors |");
    console.log("|---|---|---|---|");
    console.log(`| bare node:http JSON echo | ${rps(bare).toFixed(0)} | ${p99(bare)} | ${bad(bare)} |`);
    console.log(`| mlnb serve /predict | ${rps(model).toFixed(0)} | ${p99(model)} | ${bad(model)} |`);
    console.log(`| ratio mlnb / bare | ${(rps(model) / rps(bare)).toFixed(2)} (target >= 0.50) | ${(p99(model) / p99(bare)).toFixed(2)} (target <= 2) | |`);

    const runs: Awaited<ReturnType<typeof underAttack>>[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await underAttack(dir, body));
    const alone = runs.map((r) => r.alone), attacked = runs.map((r) => r.attacked);
    const p50 = (rs: Result[]) => median(rs.map((r) => r.latency.p50));
    const sum = (f: (h: HostileStats) => number) => runs.reduce((n, r) => n + f(r.hostile), 0);
    const statuses: Record<string, number> = {};
    for (const r of runs) for (const [k, v] of Object.entries(r.hostile.status)) statuses[k] = (statuses[k] ?? 0) + v;
    const h0 = runs[0].hostile;
    console.log(`\n### serve: valid single-row POST at ${RATE} req/s (8 connections x ${SECONDS} s), alone vs with hostile clients (median of ${RUNS})\n`);
    console.log(`hostile clients (one process): ${h0.slowHeaderSockets > 0 ? "64 sockets sending headers a byte a second, 64 sending a body a byte a second (reopened when closed)" : "none connected"}, a 2 MiB body every 50 ms (<= 4 in flight), two malformed JSON bodies every 2 ms (<= 32 in flight)\n`);
    console.log("| valid requests | p50 (ms) | p99 (ms) | req/s | non-2xx + errors |");
    console.log("|---|---|---|---|---|");
    console.log(`| alone | ${p50(alone)} | ${p99(alone)} | ${rps(alone).toFixed(0)} | ${bad(alone)} |`);
    console.log(`| with hostile clients | ${p50(attacked)} | ${p99(attacked)} | ${rps(attacked).toFixed(0)} | ${bad(attacked)} |`);
    console.log(`| ratio hostile / alone | ${(p50(attacked) / p50(alone)).toFixed(2)} | ${(p99(attacked) / p99(alone)).toFixed(2)} | | |`);
    console.log(`\nhostile requests sent (all runs): ${sum((h) => h.malformed)} malformed, ${sum((h) => h.oversized)} oversized; answered: ${Object.entries(statuses).sort().map(([k, v]) => `${k}: ${v}`).join(", ")}; client errors (reset sockets) ${sum((h) => h.errors)};`);
    console.log(`slow sockets opened ${sum((h) => h.slowHeaderSockets + h.slowBodySockets)}, closed by the server's timeouts ${sum((h) => h.slowClosedByServer)}; /health answered 200 after each run`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
