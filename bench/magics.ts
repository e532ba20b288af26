// Benchmark: magic parsing time against line length (`%%stage a --needs b` repeated N times), to show it grows linearly.
import { loadavg } from "node:os";
import { parseMagics } from "../kernel/magics/parse.js";

const RUNS = 5;

function median(fn: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

/** Print ms per parse and per 1,000 repetitions for growing N (linear: the last column stays flat). */
export async function run(): Promise<void> {
  console.log(`\n### Magic parsing: \`%%stage a\` + \` --needs bI\` x N on one line (median of ${RUNS})\n`);
  console.log("| N | line length | median ms | ms per 1,000 repetitions |");
  console.log("|---:|---:|---:|---:|");
  for (const n of [5_000, 10_000, 20_000, 40_000, 80_000]) {
    const source = `%%stage a${Array.from({ length: n }, (_, i) => ` --needs b${i % 50}`).join("")}\nconst x = 1;`;
    const ms = median(() => {
      const parsed = parseMagics(source);
      if (!parsed.ok) throw new Error(parsed.diagnostics[0]!.message);
    });
    console.log(`| ${n.toLocaleString("en-US")} | ${source.length.toLocaleString("en-US")} | ${ms.toFixed(1)} | ${((ms / n) * 1000).toFixed(2)} |`);
  }
  console.log(`\n(before issue 16: 40,000 repetitions took 11 s, quadratic; load average ${loadavg()[0]!.toFixed(1)})`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
