import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { penguinBundle, penguinRows } from "../ml/deploy/penguins.js";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const BIN = path.join(ROOT, "bin/mlnb.js");

function run(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  const done = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, done, out: () => out, err: () => err };
}

test("mlnb serve answers on the URL it prints and exits 0 on SIGTERM", async () => {
  const { dir, rows } = await penguinBundle();
  const p = run(["serve", dir, "--port", "0", "--token", "t0k"]);
  const deadline = Date.now() + 20_000;
  while (!/listening on (\S+)/.test(p.out()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(p.out())?.[1];
  assert.ok(url, `no URL printed: ${p.out()} ${p.err()}`);
  const { Species: _s, ...row } = rows[0];
  const res = await fetch(`${url}/predict`, { method: "POST", headers: { authorization: "Bearer t0k", "content-type": "application/json" }, body: JSON.stringify([row]) });
  assert.equal(res.status, 200);
  assert.deepEqual((await res.json()).predictions, ["Adelie"]);
  p.child.kill("SIGTERM");
  assert.equal(await p.done, 0);
  assert.match(p.out(), /SIGTERM, shutting down/);
});

test("mlnb drift prints the report and exits 1 on dataset drift, 0 without", async () => {
  const rows = penguinRows();
  const dir = await mkdtemp(path.join(tmpdir(), "mlnb-drift-"));
  const write = (name: string, data: unknown[]) => writeFile(path.join(dir, name), JSON.stringify(data)).then(() => path.join(dir, name));
  const adelie = await write("adelie.json", rows.filter((r) => r.Species === "Adelie"));
  const gentoo = await write("gentoo.json", rows.filter((r) => r.Species === "Gentoo"));
  const drifted = run(["drift", "--reference", adelie, "--current", gentoo]);
  assert.equal(await drifted.done, 1);
  assert.match(drifted.out(), /Dataset drift detected: 7 of 7 columns drifted/);
  assert.match(drifted.out(), /Body Mass \(g\)\s+num\s+ks/);
  const same = run(["drift", "--reference", adelie, "--current", adelie]);
  assert.equal(await same.done, 0);
  assert.match(same.out(), /No dataset drift: 0 of 7 columns drifted/);
  const missing = run(["drift", "--reference", adelie]);
  assert.equal(await missing.done, 2);
  assert.match(missing.err(), /--reference and --current are required/);
  await rm(dir, { recursive: true, force: true });
});
