// The `mlnb` kernelspec: where Jupyter looks for it, what it says, writing and removing it.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { hugePagesSpecEnv } from "../runtime/hugePages.js";

export const KERNEL_NAME = "mlnb";
export const DISPLAY_NAME = "TypeScript (mlnb)";

/** Which kernels folder: the user's data dir, the Python environment's prefix, or a given prefix. */
export type SpecLocation = { kind: "user" } | { kind: "sys-prefix" } | { kind: "prefix"; dir: string };

/** A kernelspec location that cannot be found; the message says what to set. */
export class KernelspecError extends Error {
  override name = "KernelspecError";
}

/** The kernel.json content: argv starts this package's front end with the client's connection file. */
export function kernelSpec(nodePath = process.execPath): Record<string, unknown> {
  const entry = join(dirname(fileURLToPath(import.meta.url)), "main.js");
  return {
    argv: [nodePath, entry, "-f", "{connection_file}"],
    display_name: DISPLAY_NAME,
    language: "typescript",
    // Clients send interrupt_request on the control channel; SIGINT is honoured as well.
    interrupt_mode: "message",
    // glibc malloc's large blocks on huge pages: TypeScript loads faster (kernel/runtime/hugePages.ts).
    env: hugePagesSpecEnv(),
    metadata: { debugger: false },
  };
}

/** Jupyter's user data dir, as jupyter_core computes it on Linux and macOS. */
function userDataDir(env: NodeJS.ProcessEnv): string {
  if (env.JUPYTER_DATA_DIR) return resolve(env.JUPYTER_DATA_DIR);
  if (process.platform === "darwin") return join(homedir(), "Library", "Jupyter");
  if (process.platform === "win32") return join(env.APPDATA ?? join(homedir(), "AppData", "Roaming"), "jupyter");
  return join(env.XDG_DATA_HOME ? resolve(env.XDG_DATA_HOME) : join(homedir(), ".local", "share"), "jupyter");
}

/** The Python environment's prefix: an active venv or conda env, else what `python3` reports. */
function sysPrefix(env: NodeJS.ProcessEnv): string {
  const active = env.VIRTUAL_ENV ?? env.CONDA_PREFIX;
  if (active) return active;
  const python = env.MLNB_PYTHON ?? "python3";
  try {
    return execFileSync(python, ["-c", "import sys; print(sys.prefix)"], { encoding: "utf8" }).trim();
  } catch (e) {
    throw new KernelspecError(`--sys-prefix: cannot ask ${python} for sys.prefix (${(e as Error).message.split("\n")[0]}); activate the environment or set MLNB_PYTHON`);
  }
}

/** The folder of the `mlnb` kernelspec at a location. */
export function specDir(location: SpecLocation, env: NodeJS.ProcessEnv = process.env): string {
  const kernels = (dataDir: string) => join(dataDir, "kernels", KERNEL_NAME);
  switch (location.kind) {
    case "user":
      return kernels(userDataDir(env));
    case "sys-prefix":
      return kernels(join(sysPrefix(env), "share", "jupyter"));
    case "prefix":
      return kernels(join(resolve(location.dir), "share", "jupyter"));
  }
}

/** Write the kernelspec; returns its folder. */
export function installSpec(location: SpecLocation, env: NodeJS.ProcessEnv = process.env): string {
  const dir = specDir(location, env);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "kernel.json"), JSON.stringify(kernelSpec(), null, 1) + "\n");
  return dir;
}

/** Remove the kernelspec; returns its folder, or undefined when none was installed there. */
export function uninstallSpec(location: SpecLocation, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = specDir(location, env);
  if (!existsSync(join(dir, "kernel.json"))) return undefined;
  rmSync(dir, { recursive: true, force: true });
  return dir;
}
