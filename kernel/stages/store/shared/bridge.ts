// Calls async work (Postgres, S3) synchronously: a worker thread does it while this thread waits on Atomics.
//
// The run store's interface is synchronous (better-sqlite3 answers in microseconds, and the stage
// executor and the kernel call it as such). A shared store's clients are asynchronous, so they live
// in a worker: a call posts a request on a MessageChannel, blocks in Atomics.wait until the worker
// flips a shared flag, then takes the answer with receiveMessageOnPort. The embedded store never
// goes through here.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";

/** What a bridged call answers: a value, or an error's name and message. */
export type Answer = { value: unknown } | { error: { name: string; message: string } };

/** A worker answering requests synchronously for this thread. */
export interface SyncBridge {
  /** Run `op` with `args` in the worker and return its value (its error is rethrown here). */
  call<T>(op: string, ...args: unknown[]): T;
  /** Stop the worker (after a final `close` op, when the worker has one). */
  close(): void;
}

/** An error the worker raised, with its original name and message. */
export class BridgedError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/**
 * Start `workerUrl` (a module calling `serveBridge`) with `init` as its setup data. Each call
 * waits at most `timeoutMs` (default 10 minutes: a large artifact upload) for its answer.
 */
export function startBridge(workerUrl: URL, init: unknown, timeoutMs = 600_000): SyncBridge {
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  // execArgv not inherited: a parent started with `node -e` would hand the worker its eval flags
  const worker = new Worker(workerUrl, { workerData: { port: port2, flag, init }, transferList: [port2], execArgv: [] });
  worker.unref();
  port1.unref();
  let closed = false;
  const call = <T>(op: string, ...args: unknown[]): T => {
    if (closed) throw new Error(`shared run store: ${op} after close`);
    Atomics.store(flag, 0, 0);
    port1.postMessage({ op, args });
    if (Atomics.wait(flag, 0, 0, timeoutMs) === "timed-out") throw new Error(`shared run store: no answer to ${op} within ${Math.round(timeoutMs / 1000)} s`);
    const received = receiveMessageOnPort(port1);
    if (!received) throw new Error(`shared run store: the worker answered ${op} with nothing`);
    const answer = received.message as Answer;
    if ("error" in answer) throw new BridgedError(answer.error.name, answer.error.message);
    return answer.value as T;
  };
  return {
    call,
    close() {
      if (closed) return;
      try {
        call("close");
      } finally {
        closed = true;
        port1.close();
        void worker.terminate();
      }
    },
  };
}

/**
 * The worker's side: answer each request with `handlers[op](...args)`, one at a time, in order.
 * Call it from the worker module with the handlers it serves.
 */
export function serveBridge(data: { port: MessagePort; flag: Int32Array }, handlers: Record<string, (...args: any[]) => unknown>): void {
  const { port, flag } = data;
  let queue = Promise.resolve();
  port.on("message", (request: { op: string; args: unknown[] }) => {
    queue = queue.then(async () => {
      let answer: Answer;
      try {
        const handler = handlers[request.op];
        if (!handler) throw new Error(`unknown operation ${request.op}`);
        answer = { value: await handler(...request.args) };
      } catch (e) {
        answer = { error: { name: e instanceof Error ? e.name : "Error", message: e instanceof Error ? e.message : String(e) } };
      }
      port.postMessage(answer);
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
    });
  });
}
