// The kernel's watchdog thread: reads requests from stdin, and raises the interrupt flag.
//
// The main thread may be stuck in a cell's `while (true) {}` and unable to read stdin; this
// thread still can. Every loop in cell code checks the shared interrupt flag (see
// exec/transform.ts), so raising it here stops busy cell code without killing the process.
//
// complete/inspect go from here to the language thread (lang/kernelWorker.ts), answered even while
// a cell runs. This thread starts it on the first such request, telling it the cells executed
// so far: a kernel no one asks (a headless `mlnb run`) never starts it.
import { Socket } from "node:net";
import { MessageChannel, parentPort, Worker, workerData, type MessagePort } from "node:worker_threads";
import { LineDecoder, type Request } from "./protocol.js";

const flag = new Int32Array(workerData.interruptFlag as SharedArrayBuffer);
const { notebookDir, replyFd, lock } = workerData as { notebookDir: string; replyFd: number; lock: SharedArrayBuffer };

/** Cells the main thread ran, by cell id in the order last run (what the language thread's ExecutedCells keeps). */
const executed = new Map<string, string>();
let lang: { worker: Worker; port: MessagePort } | undefined;

/** The language thread, started on first use with the cells executed so far. */
function languageThread(): MessagePort {
  if (lang) return lang.port;
  const channel = new MessageChannel();
  const worker = new Worker(new URL("./lang/kernelWorker.js", import.meta.url), {
    workerData: { notebookDir, replyFd, lock, port: channel.port2 },
    transferList: [channel.port2],
  });
  worker.unref();
  worker.on("error", (e) => process.stderr.write(`kernel: language thread failed: ${e.stack}\n`));
  for (const [cellId, code] of executed) worker.postMessage({ type: "cell", cellId, code });
  lang = { worker, port: channel.port1 };
  parentPort!.postMessage({ type: "languageThread" });
  return lang.port;
}

// From the main thread: each cell as it starts to run.
parentPort!.on("message", (msg: { type: "cell"; cellId: string; code: string }) => {
  executed.delete(msg.cellId);
  executed.set(msg.cellId, msg.code);
  lang?.worker.postMessage(msg);
});

const decoder = new LineDecoder<Request>(
  (req) => {
    // Counted first, then raised: the main thread compares the count with the interrupts it has handled (exec/executor.ts).
    if (req.type === "interrupt") {
      Atomics.add(flag, 1, 1);
      Atomics.store(flag, 0, 1);
    }
    if (req.type === "complete" || req.type === "inspect") languageThread().postMessage(req);
    else parentPort!.postMessage(req);
  },
  (line) => parentPort!.postMessage({ type: "garbage", line }),
);
// A worker's process.stdin is not fd 0: read the real descriptor, as a libuv stream. (A file
// stream would block a threadpool thread in read(), and process.exit would wait for it.)
const input = new Socket({ fd: 0, readable: true, writable: false });
input.on("data", (chunk) => decoder.push(chunk));
/** How long the main thread gets to shut down cleanly once the client is gone. */
const ORPHAN_GRACE_MS = 1000;

// The client is gone (the CLI was killed, VS Code closed): stdin ends. Ask the main thread to
// shut down; if it is busy in a cell (`while (true) {}`) it cannot, so end the process from here.
let orphaned = false;
const orphan = () => {
  if (orphaned) return;
  orphaned = true;
  parentPort!.postMessage({ type: "shutdown" });
  setTimeout(() => process.kill(process.pid, "SIGKILL"), ORPHAN_GRACE_MS);
};
input.on("end", orphan);
input.on("close", orphan);
input.on("error", orphan);
