// Test helper: runs Python scripts against mlnb's Jupyter kernel through Debian's jupyter_client, in a temporary kernelspec dir.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installSpec } from "../../../kernel/jupyter/kernelspec.js";

/** Debian's Python has jupyter_client, nbclient, nbconvert and ipykernel; a python3 earlier on PATH may not. */
export const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

/** Python lines every script starts with: start the kernel `mlnb` in folder sys.argv[1], helpers to run code. */
export const PRELUDE = `
import sys, json, time, os, signal
from jupyter_client.manager import start_new_kernel
km, kc = start_new_kernel(kernel_name=os.environ.get("KERNEL", "mlnb"), cwd=sys.argv[1], startup_timeout=120)
def run(code, timeout=120, **kw):
    outs = []
    reply = kc.execute_interactive(code, output_hook=lambda m: outs.append({"type": m["msg_type"], **m["content"]}), timeout=timeout, **kw)
    return {"reply": reply["content"], "outputs": [o for o in outs if o["type"] != "status"]}
def shell(msg_id, timeout=60):
    while True:
        m = kc.get_shell_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") == msg_id:
            return m["content"]
result = {}
`;

export const EPILOGUE = `
kc.stop_channels()
km.shutdown_kernel(now=False)
print(json.dumps(result))
`;

/** A temporary JUPYTER_PATH holding the mlnb kernelspec, and a notebook folder; `cleanup` removes both. */
export function jupyterHome(): { env: NodeJS.ProcessEnv; dir: string; notebookDir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "mlnb-jupyter-"));
  installSpec({ kind: "prefix", dir });
  const notebookDir = join(dir, "nb");
  mkdirSync(notebookDir);
  const env = { ...process.env, JUPYTER_PATH: join(dir, "share", "jupyter"), JUPYTER_DATA_DIR: join(dir, "data"), JUPYTER_RUNTIME_DIR: join(dir, "runtime"), JUPYTER_CONFIG_DIR: join(dir, "config"), JUPYTER_PLATFORM_DIRS: "1" };
  return { env, dir, notebookDir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Run a Python script with the prelude; resolves with its JSON `result` and the kernel's stderr. */
export function runPython(script: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 240_000): Promise<{ result: Record<string, any>; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(PYTHON, ["-c", PRELUDE + script + EPILOGUE, ...args], { env, timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`python failed: ${err.message}\n${stderr}`));
      const last = stdout.trim().split("\n").pop() ?? "";
      try {
        resolve({ result: JSON.parse(last) as Record<string, any>, stderr });
      } catch {
        reject(new Error(`python printed no JSON result:\n${stdout}\n${stderr}`));
      }
    });
  });
}
