// `npm run bench`: runs every bench/<name>.ts module in turn (or the ones named on the command line).
//
// Each bench module exports `run(): Promise<void>` and prints its own markdown table. Benches
// are loaded by file name, so one that has not landed yet is reported as "not present" and the
// others still run. Usage: `node out/bench/index.js [kernel ingest ...]`.
import { existsSync, readdirSync } from "node:fs";
import { availableParallelism, cpus, freemem, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The team's benches, in the order they run; other bench/*.ts files found are run after them. */
const KNOWN = ["kernel", "ingest", "train", "metrics", "stages", "serve", "drift", "export", "jupyter"];

const OUT_DIR = dirname(fileURLToPath(import.meta.url));
const SOURCE_DIR = join(OUT_DIR, "..", "..", "bench");

/** Bench names: the known ones, then any other top-level bench source file. */
function allBenches(): string[] {
  const found = existsSync(SOURCE_DIR)
    ? readdirSync(SOURCE_DIR).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")).map((f) => f.slice(0, -3))
    : [];
  return [...KNOWN, ...found.filter((n) => n !== "index" && !KNOWN.includes(n)).sort()];
}

const gb = (bytes: number) => (bytes / 2 ** 30).toFixed(1);

/** The machine and its load, so a table can be read against the conditions it was measured in. */
function header(): string {
  const cpu = cpus()[0]?.model.trim() ?? "unknown CPU";
  const [l1, l5, l15] = loadavg().map((l) => l.toFixed(2));
  return [
    `# mlnb benchmarks — ${new Date().toISOString()}`,
    "",
    `- machine: ${availableParallelism()} cores (${cpu}), ${gb(totalmem())} GB memory (${gb(freemem())} GB free)`,
    `- node ${process.version} on ${process.platform}/${process.arch}`,
    `- load average at start: ${l1} / ${l5} / ${l15} (1 / 5 / 15 min)`,
  ].join("\n");
}

type BenchOutcome = "ok" | "failed" | "not present";

/** Import out/bench/<name>.js and run it; a missing or failing bench is reported, not thrown. */
async function runOne(name: string): Promise<BenchOutcome> {
  console.log(`\n## bench ${name}`);
  const file = join(OUT_DIR, `${name}.js`);
  if (!existsSync(file)) {
    const why = existsSync(join(SOURCE_DIR, `${name}.ts`)) ? ` (bench/${name}.ts exists but is not built: run npm run build)` : "";
    console.log(`\nbench ${name}: not present${why}`);
    return "not present";
  }
  const started = performance.now();
  try {
    const mod = (await import(pathToFileURL(file).href)) as { run?: () => Promise<void> };
    if (typeof mod.run !== "function") {
      console.log(`\nbench ${name}: bench/${name}.ts does not export run()`);
      return "failed";
    }
    await mod.run();
    console.log(`\n_bench ${name}: ${((performance.now() - started) / 1000).toFixed(1)} s, load average now ${loadavg()[0]!.toFixed(2)}_`);
    return "ok";
  } catch (e) {
    console.log(`\nbench ${name}: FAILED after ${((performance.now() - started) / 1000).toFixed(1)} s\n\n\`\`\`\n${(e as Error).stack ?? String(e)}\n\`\`\``);
    return "failed";
  }
}

/** Run the benches named in `names` (all when empty) in sequence; returns the process exit code. */
export async function main(names: string[]): Promise<number> {
  const all = allBenches();
  const unknown = names.filter((n) => !all.includes(n));
  if (unknown.length) {
    console.error(`unknown bench: ${unknown.join(", ")} (known: ${all.join(", ")})`);
    return 2;
  }
  console.log(header());
  const outcomes: [string, BenchOutcome][] = [];
  for (const name of names.length ? names : all) outcomes.push([name, await runOne(name)]);
  console.log(`\n## summary\n\n${outcomes.map(([n, o]) => `- ${n}: ${o}`).join("\n")}`);
  return outcomes.some(([, o]) => o === "failed") ? 1 : 0;
}

// Exit explicitly: a bench that leaves a handle open (a server, a worker) must not hang the run.
process.exit(await main(process.argv.slice(2)));
