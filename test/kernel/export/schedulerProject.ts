// A small project for scheduler tests: a notebook whose stage graph branches (ingest -> clean, stats -> train -> report), its data and package.json.
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { serializeNotebook } from "../../../kernel/notebook/format.js";

export const ROOT = fileURLToPath(new URL(import.meta.url.includes("/out/") ? "../../../../" : "../../../", import.meta.url));
export const MLNB = join(ROOT, "bin", "mlnb.js");
const run = promisify(execFile);

const code = (...lines: string[]) => ({ kind: "code" as const, language: "typescript", source: lines.join("\n"), outputs: [], executionCount: null, metadata: {} });

/** The notebook: params, a seed, five stages; `train` fails once when a file `fail-once` is in its folder (a transient failure). */
export const NOTEBOOK = serializeNotebook({
  metadata: {},
  cells: [
    code("%%params", "%seed 7", "const minX = 2;", 'const tag = "run a";'),
    code("%%stage ingest", 'import { read } from "mlnb";', 'const raw = await read.csv("data.csv");'),
    code("%%stage clean --resources cpu=500m,memory=256Mi", 'import * as aq from "arquero";', "const clean = raw.filter(aq.escape((d: any) => d.x >= minX));"),
    code("%%stage stats", 'import * as aq from "arquero";', 'const stats = { n: raw.numRows(), mean: raw.rollup({ m: aq.op.mean("x") }).get("m", 0) as number };'),
    code(
      "%%stage train --resources cpu=2,memory=1Gi",
      'import { existsSync, unlinkSync } from "node:fs";',
      'if (existsSync("fail-once")) { unlinkSync("fail-once"); throw new Error("transient failure"); }',
      'const xs = clean.array("x") as number[];',
      'const ys = clean.array("y") as number[];',
      "const mx = xs.reduce((a, b) => a + b, 0) / xs.length;",
      "const my = ys.reduce((a, b) => a + b, 0) / ys.length;",
      "const slope = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);",
      "const model = { slope, intercept: my - slope * mx, jitter: Math.random() };",
    ),
    code("%%stage report", "const report = { ...model, rows: stats.n, mean: stats.mean, tag };"),
  ],
});

/** Write the project into a fresh temp folder and return it. */
export function makeProject(): string {
  const dir = mkdtempSync(join(tmpdir(), "mlnb-sched-"));
  writeFileSync(join(dir, "tiny.mlnb"), NOTEBOOK);
  writeFileSync(join(dir, "data.csv"), "x,y\n1,2.5\n2,4.1\n3,6.2\n4,7.9\n5,10.1\n6,12.2\n");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "tiny", private: true, dependencies: { mlnb: "*" } }, null, 2));
  return dir;
}

/** Run `mlnb ARGS` in `cwd`; never throws: the exit code is in `code`. */
export async function mlnb(cwd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [MLNB, ...args], { cwd, maxBuffer: 64 << 20, env });
    return { stdout, stderr, code: 0 };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; code?: number };
    return { stdout: err.stdout ?? "", stderr: err.stderr ?? "", code: typeof err.code === "number" ? err.code : 1 };
  }
}
