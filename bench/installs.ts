// Benchmark: what installing anywhere costs — the run store on each SQLite backend and type stripping on each transpiler.
//
// Store rows: opening a store, recording one stage run (one transaction, small outputs), and the
// reads a cache lookup and the Runs view make, on better-sqlite3 (native), node:sqlite (Node >=
// 22.13) and the WebAssembly build, each where it loads; the ratio is to the first that loads.
// Transpile rows: loading each option in a fresh process (cold) and the median time to strip a
// small cell and a 300-line module: @swc/core (native), @swc/wasm, TypeScript's transpileModule.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { SQLITE_BACKENDS, sqliteBackend } from "../kernel/sqlite/open.js";
import { createCodecRegistry } from "../kernel/stages/codecs/index.js";
import { openStore } from "../kernel/stages/store/index.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const RECORDS = 200;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => (x < 0.1 ? x.toFixed(3) : x < 10 ? x.toFixed(2) : x.toFixed(0));

/** One backend's times (ms): open, record a stage run, cache lookup, list + get a run. */
async function storeTimes(backend: string): Promise<{ open: number; record: number; lookup: number; list: number } | string> {
  process.env.MLNB_SQLITE = backend;
  try {
    sqliteBackend();
  } catch (e) {
    const message = (e as Error).message;
    return (message.slice(message.indexOf(`${backend}: `) + backend.length + 2).split(/; |\. (?=[A-Z])/)[0] ?? message).slice(0, 120);
  }
  const dir = mkdtempSync(join(tmpdir(), "mlnb-bench-installs-"));
  const codecs = createCodecRegistry();
  try {
    let t = performance.now();
    const store = openStore({ dir, codecs });
    const open = performance.now() - t;
    const run = store.beginRun({ notebook: "bench.mlnb", params: { epochs: 10 } });
    const record: number[] = [];
    for (let i = 0; i < RECORDS; i++) {
      const outputs = { model: await codecs.encode({ weights: [i, i + 1, i + 2] }), score: await codecs.encode(i / RECORDS) };
      t = performance.now();
      store.recordStageRun({ runId: run, stage: `s${i % 7}`, codeHash: `c${i}`, paramsHash: "p", seed: 1, outputs, status: "ok", durationMs: 1, metrics: [{ name: "f1", value: i / RECORDS }] });
      record.push(performance.now() - t);
    }
    const lookup: number[] = [];
    const list: number[] = [];
    for (let i = 0; i < RECORDS; i++) {
      t = performance.now();
      if (!store.findCached(`s${i % 7}`, `c${i}`, "p", 1, {})) throw new Error("a recorded stage run was not found");
      lookup.push(performance.now() - t);
      t = performance.now();
      store.getRun(store.listRuns({ limit: 20 })[0]!.id);
      list.push(performance.now() - t);
    }
    store.close();
    return { open, record: median(record), lookup: median(lookup), list: median(list) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SMALL = "const rows: number[] = [1, 2, 3];\ninterface P { x: number }\nconst f = (p: P): number => p.x * 2;\nrows.map((x) => f({ x }));\n";
const LARGE = Array.from({ length: 60 }, (_, i) => `export interface R${i} { a: number; b?: string }\nexport function f${i}<T extends R${i}>(r: T, k: keyof T): string {\n  const v = r[k] as unknown as number;\n  return \`\${v}\`;\n}\n`).join("");

/** A child process that loads one transpiler, strips both sources, and prints its times as JSON. */
const CHILD = `
const t0 = performance.now();
const name = process.argv[1];
const req = require("node:module").createRequire(process.argv[2]);
let strip;
if (name === "typescript") {
  const ts = req("typescript");
  strip = (code) => ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true, sourceMap: true } }).outputText;
} else {
  const swc = req(name);
  strip = (code) => swc.transformSync(code, { filename: "c.ts", sourceMaps: true, isModule: true, jsc: { parser: { syntax: "typescript" }, target: "es2022", transform: { verbatimModuleSyntax: true } } }).code;
}
const { SMALL, LARGE } = JSON.parse(process.argv[3]);
strip(SMALL);
const cold = performance.now() - t0;
const time = (code) => { const xs = []; for (let i = 0; i < 50; i++) { const t = performance.now(); strip(code); xs.push(performance.now() - t); } return xs.sort((a, b) => a - b)[25]; };
process.stdout.write(JSON.stringify({ cold, small: time(SMALL), large: time(LARGE) }));
`;

function transpileTimes(name: string): { cold: number; small: number; large: number } | string {
  const r = spawnSync(process.execPath, ["-e", CHILD, name, join(ROOT, "package.json"), JSON.stringify({ SMALL, LARGE })], { encoding: "utf8" });
  if (r.status !== 0) return (r.stderr.split("\n").find((l) => /Error/.test(l)) ?? `exit ${r.status}`).slice(0, 90);
  return JSON.parse(r.stdout) as { cold: number; small: number; large: number };
}

/** Print both tables. */
export async function run(): Promise<void> {
  const before = process.env.MLNB_SQLITE;
  console.log(`\n### run store per SQLite backend (${RECORDS} stage runs; median ms; ratio to the first backend that loads)\n`);
  console.log("| backend | open store | record a stage run | cache lookup | list + get a run | record ratio |");
  console.log("|---|---|---|---|---|---|");
  let base: number | undefined;
  for (const backend of SQLITE_BACKENDS) {
    const r = await storeTimes(backend);
    if (typeof r === "string") {
      console.log(`| ${backend} | does not load here: ${r} | | | | |`);
      continue;
    }
    base ??= r.record;
    console.log(`| ${backend} | ${ms(r.open)} | ${ms(r.record)} | ${ms(r.lookup)} | ${ms(r.list)} | ${(r.record / base).toFixed(1)}x |`);
  }
  if (before === undefined) delete process.env.MLNB_SQLITE;
  else process.env.MLNB_SQLITE = before;

  console.log(`\n### type stripping per transpiler (fresh process; median of 50; ratio to @swc/core)\n`);
  console.log("| transpiler | cold: load + first cell (ms) | small cell (ms) | 300-line module (ms) | small-cell ratio |");
  console.log("|---|---|---|---|---|");
  let swcSmall: number | undefined;
  for (const name of ["@swc/core", "@swc/wasm", "typescript"]) {
    const r = transpileTimes(name);
    if (typeof r === "string") {
      console.log(`| ${name} | does not load here: ${r} | | | |`);
      continue;
    }
    swcSmall ??= r.small;
    console.log(`| ${name} | ${ms(r.cold)} | ${ms(r.small)} | ${ms(r.large)} | ${(r.small / swcSmall).toFixed(1)}x |`);
  }
}
