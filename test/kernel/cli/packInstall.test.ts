// The npm package installs anywhere: `npm pack` carries out/, and a global install of the tarball runs a notebook in an empty folder.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = resolve(fileURLToPath(import.meta.url), "../../../../..");
const work = mkdtempSync(join(tmpdir(), "mlnb-pack-"));
after(() => rmSync(work, { recursive: true, force: true }));

const npm = (args: string[], cwd: string) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_fund: "false", npm_config_audit: "false" } });

test("npm pack includes the compiled kernel, and `npm i -g` of the tarball gives a working `mlnb run` in an empty folder", { timeout: 600_000 }, () => {
  // --ignore-scripts: the tests run against the out/ already built; a rebuild here would race the other test files.
  const packed = JSON.parse(npm(["pack", "--ignore-scripts", "--json", "--pack-destination", work], ROOT)) as { filename: string; files: { path: string }[] }[];
  const paths = new Set(packed[0]!.files.map((f) => f.path));
  for (const f of ["bin/mlnb.js", "out/kernel/cli.js", "out/kernel/server.js", "out/kernel/ml/index.js", "out/extension.cjs", "package.json"]) assert.ok(paths.has(f), `${f} missing from the package`);
  assert.ok(![...paths].some((p) => p.startsWith("out/test/") || p.startsWith("test/") || p.startsWith(".ci/")), "tests and CI files stay out of the package");

  const prefix = join(work, "prefix");
  npm(["install", "--global", "--prefix", prefix, join(work, packed[0]!.filename)], work);
  const project = join(work, "project");
  execFileSync("mkdir", ["-p", project]);
  writeFileSync(join(project, "sum.mlnb"), `${JSON.stringify({ cells: [{ kind: "code", source: ["%%stage total", "const xs = [1, 2, 3, 4];", "const total = xs.reduce((a, b) => a + b, 0);", "total"] }], metadata: {}, mlnb: 1 }, null, 2)}\n`);
  const bin = join(prefix, process.platform === "win32" ? "mlnb.cmd" : "bin/mlnb");
  const out = execFileSync(bin, ["run", "sum.mlnb"], { cwd: project, encoding: "utf8", env: { ...process.env, MLNB_STORE: "" } });
  assert.match(out, /\b10\b/);
  assert.ok(existsSync(join(project, "sum.out.mlnb")));
  const executed = JSON.parse(readFileSync(join(project, "sum.out.mlnb"), "utf8")) as { cells: { outputs?: { data?: Record<string, unknown> }[] }[] };
  assert.ok(JSON.stringify(executed.cells[0]!.outputs).includes("10"));
  assert.ok(existsSync(join(project, ".mlnb")), "the run store is created beside the notebook");
});
