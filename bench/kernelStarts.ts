// The bench's timed kernel cells and the kernel starts that need warm checker state (kept caches, a warm checker daemon); bench/kernel.ts and bench/jupyter.ts use them.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { KernelClient } from "../kernel/client.js";
import { daemonPlace, daemonWarmUps, stopDaemon } from "../kernel/exec/checkDaemonPlace.js";
import { libTextsFile, LibTexts } from "../kernel/lang/libText.js";
import { typescriptCacheDir, typescriptVersion } from "../kernel/lang/typescript.js";
import type { Reply, TypeCheckMode } from "../kernel/protocol.js";

/**
 * CPU time (ms, all threads) a process has used, from /proc (Linux; undefined elsewhere). On a
 * shared machine it is steadier than wall time, which grows with other people's load.
 */
export function processCpuMs(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime in 10 ms ticks (USER_HZ 100)
  } catch {
    return undefined;
  }
}
/** Run a cell on our kernel; returns the round trip, the time its result arrived (ms since `t`) and the kernel's own duration. */
export async function ours(client: KernelClient, code: string, typeCheck: TypeCheckMode, expect: string): Promise<{ rt: number; inKernel: number; resultAt: number }> {
  let result: unknown;
  let resultAt = 0;
  const errors: string[] = [];
  const t = performance.now();
  const r = await client.execute(code, { options: { typeCheck } }, (reply: Reply) => {
    if (reply.type === "result") (result = reply.data["text/plain"]), (resultAt = performance.now());
    if (reply.type === "error") errors.push(reply.error.message);
  });
  const rt = performance.now() - t;
  if (r.status !== "ok" || result !== expect) throw new Error(`bench cell failed (${r.status}): ${code}\n${errors.join("\n")} result ${String(result)}`);
  return { rt, inKernel: r.durationMs, resultAt };
}

/**
 * As on any machine where a kernel has checked a cell and then lived a few seconds: TypeScript's
 * code cache and the library files' comment-free texts are kept (kernel/lang/libText.ts). The
 * timed kernels are killed 0.1 s after their result, before their checker could keep them.
 */
export async function keepCheckerCaches(notebookPath: string): Promise<void> {
  const cacheDir = typescriptCacheDir();
  if (!cacheDir) return; // MLNB_CODE_CACHE=off: no caches to keep
  const file = libTextsFile(cacheDir, typescriptVersion());
  const es5 = join(dirname(createRequire(import.meta.url).resolve("typescript")), "lib.es5.d.ts");
  const client = await KernelClient.start({ notebookPath, typeCheck: "error" });
  try {
    await ours(client, `0 + 1 + 0 * ${Date.now()}`, "error", "1");
    const until = performance.now() + 60_000;
    while (new LibTexts(file).text(es5) === undefined) {
      if (performance.now() > until) throw new Error(`the kernel kept no library texts in ${file} within 60 s`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await client.shutdown(1000);
  }
}

/**
 * Outside VS Code with the checker daemon alive (kernel/exec/checkDaemonPlace.ts): started by a
 * kernel of its own (as the first kernel of a session starts it), warm, then fresh kernels timed to
 * a first checked cell. Its own folder, and stopped after, so the other rows never meet it.
 */
export async function daemonStarts(notebookPath: string, starts: number) {
  const env = { MLNB_CHECK_DAEMON: "on", MLNB_CHECK_DAEMON_DIR: join(mkdtempSync(join(tmpdir(), "mlnb-bench-daemon-")), "d") };
  const place = daemonPlace({ ...process.env, ...env });
  if (!place) throw new Error(`no place for a checker daemon in ${env.MLNB_CHECK_DAEMON_DIR}`);
  const daemon: number[] = [];
  const daemonCpu: (number | undefined)[] = [];
  try {
    const starter = await KernelClient.start({ notebookPath, typeCheck: "error", env });
    await ours(starter, `0 + 1 + 0 * ${Date.now()}`, "error", "1");
    await starter.shutdown(1000);
    const until = performance.now() + 60_000;
    while (daemonWarmUps(place) === 0) {
      if (performance.now() > until) throw new Error(`the checker daemon did not warm up within 60 s (log: ${place.log})`);
      await new Promise((r) => setTimeout(r, 100));
    }
    for (let i = 0; i < starts; i++) {
      const t0 = performance.now();
      const client = await KernelClient.start({ notebookPath, typeCheck: "error", env });
      const { resultAt } = await ours(client, `${i} + 2 + 0 * ${Date.now()}`, "error", String(i + 2));
      daemon.push(resultAt - t0);
      daemonCpu.push(processCpuMs(client.pid));
      await client.shutdown(100);
    }
  } finally {
    stopDaemon(place);
    rmSync(dirname(env.MLNB_CHECK_DAEMON_DIR), { recursive: true, force: true });
  }
  return { daemon, daemonCpu };
}

