// Starts the type checker thread first thing in the kernel process, so TypeScript loads on the other core while the kernel loads its own modules.
//
// kernel/server.ts calls this before it imports the kernel; kernel/exec/checker.ts takes the thread
// on its first request that needs TypeScript. Few imports here: this runs before anything else.
import { Worker } from "node:worker_threads";
import { mark } from "../runtime/trace.js";

let prestarted: { worker: Worker; notebookDir: string; failure?: Error } | undefined;

/**
 * Start the checker thread now, warming itself, when this kernel will check cells and warm up
 * (not with `MLNB_TYPECHECK=off`, nor in a headless run, `MLNB_TYPECHECK_WARMUP=off`, whose checks
 * may all come from the persistent cache).
 */
export function prestartChecker(notebookDir: string): void {
  if (process.env.MLNB_TYPECHECK === "off" || process.env.MLNB_TYPECHECK_WARMUP === "off") return;
  mark("kernel: checker thread starting");
  const worker = new Worker(new URL("./checkWorker.js", import.meta.url), { workerData: { notebookDir, warmNow: true } });
  const entry: { worker: Worker; notebookDir: string; failure?: Error } = { worker, notebookDir };
  // Until the kernel takes it: a failure is kept (the kernel then starts a thread of its own).
  worker.on("error", (e) => (entry.failure = e));
  worker.on("exit", () => (entry.failure ??= new Error("the checker thread exited")));
  worker.unref();
  prestarted = entry;
}

/** Whether a thread `prestartChecker` started is still waiting to be taken. */
export function checkerPrestarted(): boolean {
  return prestarted !== undefined && !prestarted.failure;
}

/** The thread `prestartChecker` started for `notebookDir`, once (undefined if none, or if it failed). */
export function takePrestartedChecker(notebookDir: string): Worker | undefined {
  const entry = prestarted;
  if (!entry || entry.notebookDir !== notebookDir) return undefined;
  prestarted = undefined;
  if (entry.failure) return undefined;
  entry.worker.removeAllListeners("error");
  entry.worker.removeAllListeners("exit");
  return entry.worker;
}
