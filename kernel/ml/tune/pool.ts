// The warm pool of tune worker threads: started lazily, kept for the process's life, unref'd while idle.
//
// A fresh thread pays about a second of CPU before its first useful fit (loading TensorFlow.js and
// arquero, initialising the wasm backend, JIT warm-up of the training loop), which a small search
// never earns back. Threads therefore outlive the search that started them: the next search leases
// them warm. An idle thread is unref'd, so the pool never keeps a process (kernel, script, test)
// alive, and it ends with its process: a kernel restart is a new process and a new pool.
import { Worker } from "node:worker_threads";

/** One pool thread as a search leases it. */
export interface PoolWorker {
  readonly worker: Worker;
  /** Resolves once the thread has loaded the library and initialised its backend; rejects if it failed to. */
  readonly ready: Promise<void>;
  /** Whether `ready` has resolved. */
  warm: boolean;
  /** Set once the thread has exited (crashed or terminated): it is never leased again. */
  dead: boolean;
}

const idle: PoolWorker[] = [];
const all = new Set<PoolWorker>();

/** Warm threads waiting for a search. */
export function warmWorkers(): number {
  return idle.filter((w) => w.warm).length;
}

/** Threads alive in the pool (leased or idle, warm or starting). */
export function poolSize(): number {
  return all.size;
}

/** Lease `n` threads for one search: idle ones (warm first), then new ones started for the rest. */
export function lease(n: number): PoolWorker[] {
  idle.sort((a, b) => Number(b.warm) - Number(a.warm));
  const out = idle.splice(0, n);
  while (out.length < n) out.push(start());
  for (const w of out) w.worker.ref();
  return out;
}

/** Give threads back after a search: they wait idle (unref'd) for the next one. */
export function release(workers: PoolWorker[]): void {
  for (const w of workers) {
    if (w.dead) continue;
    w.worker.unref();
    idle.push(w);
  }
}

/** End threads busy with work nobody wants any more (an interrupted search): they leave the pool. */
export async function discard(workers: PoolWorker[]): Promise<void> {
  await Promise.all(workers.map((w) => {
    forget(w);
    return w.worker.terminate();
  }));
}

/** Start threads until `n` are idle, and wait until they are warm (a kernel may call it ahead of a search). */
export async function warmPool(n: number): Promise<void> {
  // Leased, so ref'd while they start: the wait itself keeps the process alive.
  const ws = lease(n);
  try {
    await Promise.all(ws.map((w) => w.ready));
  } finally {
    release(ws);
  }
}

/** Terminate every thread of the pool (idle or leased). */
export async function closePool(): Promise<void> {
  await discard([...all]);
}

function start(): PoolWorker {
  const worker = new Worker(new URL("./trialWorker.js", import.meta.url), { execArgv: threadArgs(process.execArgv) });
  let resolveReady!: () => void;
  let rejectReady!: (e: Error) => void;
  const ready = new Promise<void>((resolve, reject) => { resolveReady = resolve; rejectReady = reject; });
  ready.catch(() => {});
  const w: PoolWorker = { worker, ready, warm: false, dead: false };
  all.add(w);
  const onReady = (m: { type?: string }) => {
    if (m?.type !== "ready") return;
    worker.off("message", onReady);
    w.warm = true;
    resolveReady();
  };
  worker.on("message", onReady);
  worker.on("error", (e) => {
    forget(w);
    rejectReady(new Error(`a tune worker thread failed: ${e.message}`));
  });
  worker.on("exit", (code) => {
    forget(w);
    rejectReady(new Error(`a tune worker thread exited with code ${code} before it was ready`));
  });
  return w;
}

/** The process's Node flags a thread can take: `--input-type` (of `node --input-type=module -e ...`) makes a Worker fail to start. */
function threadArgs(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    if (execArgv[i] === "--input-type") i++;
    else if (!execArgv[i]!.startsWith("--input-type=")) out.push(execArgv[i]!);
  }
  return out;
}

function forget(w: PoolWorker): void {
  w.dead = true;
  all.delete(w);
  const i = idle.indexOf(w);
  if (i >= 0) idle.splice(i, 1);
}
