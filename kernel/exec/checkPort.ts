// Where a kernel's type checks go: its own checker thread, or a check socket (the language server's, kernel/lang/checkServer.ts; the starting process's, kernel/exec/checkHost.ts).
import { EventEmitter } from "node:events";
import { connect, type Socket } from "node:net";
import { Worker } from "node:worker_threads";
import { LineDecoder } from "../protocol.js";
import type { CheckReply, CheckRequest } from "./checker.js";
import type { CheckerState } from "./typecheck.js";

/** The part of a Worker the checker handle uses; a socket to the language server offers the same. */
export interface CheckPort {
  postMessage(req: CheckRequest): void;
  on(event: "message", listener: (reply: CheckReply) => void): unknown;
  on(event: "error", listener: (e: Error) => void): unknown;
  on(event: "exit", listener: (code: number) => void): unknown;
  once(event: "message", listener: (reply: CheckReply) => void): unknown;
  removeAllListeners(event?: string): unknown;
  ref(): void;
  unref(): void;
  /** True for a checker another process owns and may lose (the language server's, or the starting process's). */
  readonly remote?: boolean;
  /** Who serves a remote checker, as the kernel reports it ("language server", "starting process"). */
  readonly host?: string;
}

/**
 * The checker thread's young generation, in MB. Parsing the libraries makes ~60 MB of objects that
 * all live on; V8's default lets the young generation grow to 3x16 MB, each new page a first touch
 * of memory (slow here, see runtime/codeCache.ts), and every one of those objects is copied out of
 * it anyway. A small one is reused: the warm-up took ~5% less in A/B runs (bench kernel).
 */
const CHECKER_YOUNG_GENERATION_MB = 6;

/** A checker thread of this process (kernel/exec/checkWorker.ts). */
export function checkerThread(data: { notebookDir: string; cacheDir?: string; state?: CheckerState; warmNow?: boolean }): CheckPort & { terminate(): Promise<number> } {
  return new Worker(new URL("./checkWorker.js", import.meta.url), { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: CHECKER_YOUNG_GENERATION_MB } }) as CheckPort & Worker;
}

/** The checker at `socketPath` served by `host`, for the notebook at `notebookPath` (its first request says which). */
export function remoteChecker(socketPath: string, notebookPath: string, host = "language server"): CheckPort {
  return new SocketPort(connect(socketPath), notebookPath, host);
}

class SocketPort extends EventEmitter implements CheckPort {
  readonly remote = true;
  private failed = false;

  constructor(
    private readonly socket: Socket,
    notebookPath: string,
    readonly host: string,
  ) {
    super();
    const decoder = new LineDecoder<CheckReply>((reply) => this.emit("message", reply));
    socket.on("data", (chunk) => decoder.push(chunk));
    socket.on("error", (e) => this.fail(e));
    socket.on("close", () => this.fail(new Error(`the ${host} closed the connection`)));
    // Written before the connection is up: the socket sends it once connected.
    this.postMessage({ id: 0, op: "init", notebookPath });
  }

  postMessage(req: CheckRequest): void {
    if (!this.failed) this.socket.write(JSON.stringify(req) + "\n");
  }

  ref(): void {
    this.socket.ref();
  }

  unref(): void {
    this.socket.unref();
  }

  private fail(e: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.socket.destroy();
    this.emit("error", e);
  }
}
