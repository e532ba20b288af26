// Tests of `mlnb jupyter install/uninstall` (found by jupyter_client) and of signatures: a badly signed message is dropped.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { jupyterHome, PYTHON, runPython } from "./driver.js";

const CLI = join(process.cwd(), "bin", "mlnb.js");
const dir = mkdtempSync(join(tmpdir(), "mlnb-kernelspec-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const mlnb = (args: string[], env: NodeJS.ProcessEnv = process.env) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", env });
const specs = (env: NodeJS.ProcessEnv) =>
  JSON.parse(execFileSync(PYTHON, ["-c", "import json; from jupyter_client.kernelspec import KernelSpecManager as M; print(json.dumps({k: v['spec'] for k, v in M().get_all_specs().items()}))"], { encoding: "utf8", env })) as Record<string, any>;

test("install --prefix writes a kernelspec jupyter_client finds, and uninstall removes it", () => {
  const prefix = join(dir, "prefix");
  const env = { ...process.env, JUPYTER_PATH: join(prefix, "share", "jupyter"), JUPYTER_DATA_DIR: join(dir, "empty") };
  const installed = mlnb(["jupyter", "install", "--prefix", prefix]);
  assert.equal(installed.status, 0, installed.stderr);
  const spec = specs(env).mlnb;
  assert.equal(spec.display_name, "TypeScript (mlnb)");
  assert.equal(spec.language, "typescript");
  assert.equal(spec.interrupt_mode, "message");
  assert.deepEqual(spec.argv.slice(-2), ["-f", "{connection_file}"]);
  assert.match(spec.argv[1], /kernel[\\/]jupyter[\\/]main\.js$/);
  assert.equal(mlnb(["jupyter", "uninstall", "--prefix", prefix]).status, 0);
  assert.equal(specs(env).mlnb, undefined);
  const again = mlnb(["jupyter", "uninstall", "--prefix", prefix]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /no mlnb kernelspec is installed there/);
});

test("install --user writes into the user's Jupyter data dir", () => {
  const data = join(dir, "user-data");
  const env = { ...process.env, JUPYTER_DATA_DIR: data, JUPYTER_PATH: "" };
  assert.equal(mlnb(["jupyter", "install", "--user"], env).status, 0);
  const spec = JSON.parse(readFileSync(join(data, "kernels", "mlnb", "kernel.json"), "utf8"));
  assert.equal(spec.display_name, "TypeScript (mlnb)");
  assert.equal(specs(env).mlnb.language, "typescript");
  assert.equal(mlnb(["jupyter", "uninstall", "--user"], env).status, 0);
});

test("a bad command line says what is wrong", () => {
  const both = mlnb(["jupyter", "install", "--user", "--prefix", dir]);
  assert.equal(both.status, 2);
  assert.match(both.stderr, /choose one of --user, --sys-prefix, --prefix DIR/);
  const what = mlnb(["jupyter", "instal"]);
  assert.equal(what.status, 2);
  assert.match(what.stderr, /unexpected action "instal"/);
});

test("a message signed with the wrong key is dropped and logged, never executed", async () => {
  const home = jupyterHome();
  try {
    const script = String.raw`
from jupyter_client.session import Session
bad = Session(key=b"not-the-key", username="mallory")
bad.send(kc.shell_channel.socket, "execute_request", {"code": "const pwned = 1;", "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
time.sleep(2)
result["after"] = run("pwned")
result["ok"] = run("1 + 1")
`;
    const { result, stderr } = await runPython(script, [home.notebookDir], home.env);
    assert.equal(result.after.reply.status, "error");
    assert.match(result.after.reply.evalue, /pwned is not defined|Cannot find name 'pwned'/);
    assert.equal(result.after.reply.execution_count, 1);
    assert.equal(result.ok.reply.status, "ok");
    assert.match(stderr, /dropped a message on shell: bad signature/);
  } finally {
    home.cleanup();
  }
});

test("a kernel whose client died without a shutdown exits by itself, with its session process", async () => {
  const home = jupyterHome();
  try {
    const script = String.raw`
import os, sys
from jupyter_client.manager import start_new_kernel
km, kc = start_new_kernel(kernel_name="mlnb", cwd=sys.argv[1], startup_timeout=120)
kc.execute_interactive("1 + 1", timeout=120)
print(km.provisioner.pid, flush=True)
os._exit(0)
`;
    const pid = Number(execFileSync(PYTHON, ["-c", script, home.notebookDir], { encoding: "utf8", env: home.env }).trim());
    assert.ok(pid > 0);
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 60 && alive(); i++) await new Promise((r) => setTimeout(r, 500));
    assert.equal(alive(), false, `kernel ${pid} still runs 30 s after its client died`);
  } finally {
    home.cleanup();
  }
});
