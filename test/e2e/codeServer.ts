// Starts and stops a private code-server (a real VS Code 1.100 on Node) on a free loopback port.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { ROOT, type RunDirs } from "./workspace.js";

export const CODE_SERVER = join(ROOT, ".vscode-test", "code-server", "node_modules", ".bin", "code-server");

export interface CodeServer {
  url: string;
  /** Ends code-server with everything it started (extension hosts, kernels). */
  stop(): Promise<void>;
  /** code-server's own log lines, for failure reports. */
  log: string[];
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Install a .vsix into the run's extension dir with code-server's CLI. */
export async function installVsix(dirs: RunDirs, vsix: string): Promise<void> {
  const child = spawn(CODE_SERVER, ["--extensions-dir", dirs.extensions, "--user-data-dir", dirs.userData, "--install-extension", vsix], { env: { ...process.env, XDG_CONFIG_HOME: dirs.config }, stdio: "inherit" });
  const code = await new Promise<number | null>((r) => child.on("exit", r));
  if (code !== 0) throw new Error(`code-server --install-extension ${vsix} exited with ${code}`);
}

/** Start code-server in its own process group and wait for /healthz. */
export async function startCodeServer(dirs: RunDirs): Promise<CodeServer> {
  if (!existsSync(CODE_SERVER)) throw new Error(`code-server is not installed: run sh test/e2e/install-code-server.sh (expected ${CODE_SERVER})`);
  const port = await freePort();
  const args = ["--bind-addr", `127.0.0.1:${port}`, "--auth", "none", "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust", "--disable-getting-started-override", "--user-data-dir", dirs.userData, "--extensions-dir", dirs.extensions, dirs.workspace];
  // detached = setsid: the group id lets stop() end the extension hosts and kernels too.
  const child: ChildProcess = spawn(CODE_SERVER, args, { detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, XDG_CONFIG_HOME: dirs.config } });
  const log: string[] = [];
  const keep = (b: Buffer) => log.push(...b.toString().split("\n").filter(Boolean));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exited = false;
  child.on("exit", () => (exited = true));
  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    const end = Date.now() + 5000;
    while (!exited && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`code-server exited during start:\n${log.join("\n")}`);
    try {
      const res = await fetch(`${url}healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer /healthz within 60 s:\n${log.join("\n")}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, stop, log };
}
