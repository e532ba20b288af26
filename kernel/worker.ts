// The kernel's watchdog thread: reads requests from stdin, and raises the interrupt flag.
//
// The main thread may be stuck in a cell's `while (true) {}` and unable to read stdin; this
// thread still can. Every loop in cell code checks the shared interrupt flag (see
// exec/transform.ts), so raising it here stops busy cell code without killing the process.
import { Socket } from "node:net";
import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import { LineDecoder, type Request } from "./protocol.js";

const flag = new Int32Array(workerData.interruptFlag as SharedArrayBuffer);
/** The language thread's port: complete/inspect are answered there, even while a cell runs. */
const langPort = workerData.langPort as MessagePort | undefined;

const decoder = new LineDecoder<Request>(
  (req) => {
    if (req.type === "interrupt") Atomics.store(flag, 0, 1);
    if ((req.type === "complete" || req.type === "inspect") && langPort) langPort.postMessage(req);
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
