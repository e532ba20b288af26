// Starts a kernel process and talks to it: the one client the extension and the CLI share.
import { spawn, type ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Readable, Writable } from "node:stream";
import { encode, LineDecoder, type ExecStatus, type ExecuteOptions, type Reply, type Request } from "./protocol.js";
import type { CheckHost } from "./exec/checkHost.js";
import { explainStartFailure, KernelStartError } from "./runtime/startFailure.js";
import { kernelEnv } from "./stages/store/location.js";
import { withHugePages } from "./runtime/hugePages.js";

export interface KernelClientOptions {
  /** The notebook file; the kernel's working directory is its folder. */
  notebookPath: string;
  /** Node executable for the kernel (default: this process's). */
  nodePath?: string;
  /** Extra environment (e.g. ELECTRON_RUN_AS_NODE=1 when nodePath is VS Code's runtime). */
  env?: NodeJS.ProcessEnv;
  typeCheck?: ExecuteOptions["typeCheck"];
  /** How long to wait for the kernel's "ready" (ms). */
  startTimeoutMs?: number;
  /** Start the kernel in a process group of its own, so a SIGINT sent to the client's group (Ctrl-C, Jupyter) does not kill it. */
  ownProcessGroup?: boolean;
  /**
   * The kernel's type checker, hosted in this process (kernel/exec/checkHost.ts; started before
   * the kernel, so it warms meanwhile): the kernel checks there and the host ends with the kernel.
   */
  checkHost?: CheckHost;
}

export interface ExecuteResult {
  status: ExecStatus;
  executionCount: number;
  durationMs: number;
}

type ReplyHandler = (reply: Reply) => void;

const SERVER = join(dirname(fileURLToPath(import.meta.url)), "server.js");

/** Keeps the last bytes of the kernel's raw stderr, to explain a death. */
const STDERR_TAIL = 4000;

/**
 * A running kernel. Events: "exit" (code, signal), "reply" (every reply), "fault" (an error that
 * escaped a finished cell, see protocol.ts), "stderr"/"stdout" (raw text the kernel process wrote
 * outside the protocol).
 */
export class KernelClient extends EventEmitter {
  private readonly handlers = new Map<string, { onReply: ReplyHandler; resolve: (r: ExecuteResult) => void }>();
  private stderrTail = "";
  private exited = false;
  private nextId = 1;

  private constructor(private readonly child: ChildProcess) {
    super();
  }

  /** Spawn a kernel and wait until it is ready. */
  static async start(options: KernelClientOptions): Promise<KernelClient> {
    return KernelClient.spawn(options).ready;
  }

  /**
   * Spawn a kernel now and listen to it from the start; `ready` resolves when it is ready (or
   * rejects as `start` does). A caller may await it later: a failed start is no unhandled rejection.
   */
  static spawn(options: KernelClientOptions): { client: KernelClient; ready: Promise<KernelClient> } {
    // MLNB_KERNEL_NODE_ARGS adds node flags NODE_OPTIONS refuses (e.g. --cpu-prof to profile a kernel).
    const extra = (process.env.MLNB_KERNEL_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);
    const nodePath = options.nodePath ?? process.execPath;
    const env = { ...withHugePages(kernelEnv({ ...process.env, ...options.env })), MLNB_REPLY_FD: "3", MLNB_NOTEBOOK: options.notebookPath, ...(options.typeCheck ? { MLNB_TYPECHECK: options.typeCheck } : {}), ...options.checkHost?.env };
    const child = spawn(nodePath, ["--experimental-import-meta-resolve", "--no-warnings=ExperimentalWarning", ...extra, SERVER], {
      cwd: dirname(options.notebookPath),
      env,
      stdio: ["pipe", "pipe", "pipe", "pipe"],
      detached: options.ownProcessGroup ?? false,
    });
    const client = new KernelClient(child);
    if (options.checkHost) for (const ended of ["exit", "error"]) child.once(ended, options.checkHost.close);
    const ready = client.waitReady(options.startTimeoutMs ?? 30_000, nodePath, env);
    ready.catch(() => {});
    return { client, ready };
  }

  private waitReady(timeoutMs: number, nodePath: string, env: NodeJS.ProcessEnv): Promise<KernelClient> {
    const child = this.child;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`the kernel did not start within ${timeoutMs} ms${this.stderrTail ? `:\n${this.stderrTail}` : ""}`));
        child.kill("SIGKILL");
      }, timeoutMs);
      let ready = false;
      const decoder = new LineDecoder<Reply>((reply) => {
        if (reply.type === "ready") {
          ready = true;
          clearTimeout(timer);
          resolve(this);
        }
        this.dispatch(reply);
      });
      (child.stdio[3] as Readable).on("data", (chunk: Buffer) => decoder.push(chunk));
      child.stdout!.on("data", (chunk: Buffer) => this.raw("stdout", chunk.toString("utf8")));
      child.stderr!.on("data", (chunk: Buffer) => {
        const text = chunk.toString("utf8");
        this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL);
        this.raw("stderr", text);
      });
      child.on("error", (e) => {
        clearTimeout(timer);
        const missing = (e as NodeJS.ErrnoException).code === "ENOENT" || (e as NodeJS.ErrnoException).code === "EACCES";
        reject(new KernelStartError(`could not start the kernel with ${child.spawnfile}: ${e.message}${missing ? ". Install Node >= 20.19 (https://nodejs.org), or point the setting mlnb.nodePath at a Node executable." : ""}`));
      });
      child.on("exit", (code, signal) => {
        clearTimeout(timer);
        this.exited = true;
        // A death during start is explained without a stack: the user learns what to install (the raw
        // text stays in .detail). After "ready" there is nothing to explain, and explaining asks the
        // runtime its version synchronously (a whole Node start, paid at every kernel exit).
        if (!ready) reject(explainStartFailure(nodePath, env, this.stderrTail, `code ${code}, signal ${signal}`));
        this.onExit(code, signal);
      });
    });
  }

  /** True until the kernel process has exited. */
  get alive(): boolean {
    return !this.exited;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Run code. Every reply of this execution goes to `onReply`; the promise resolves when it is
   * done. If the kernel dies meanwhile, onReply gets a "KernelDied" error and the status is "error".
   */
  execute(code: string, options: { cellId?: string; options?: ExecuteOptions } = {}, onReply: ReplyHandler = () => {}): Promise<ExecuteResult> {
    const id = `e${this.nextId++}`;
    if (this.exited) {
      onReply({ type: "error", id, error: { name: "KernelDied", message: "The kernel is not running; start a new one." } });
      return Promise.resolve({ status: "error", executionCount: 0, durationMs: 0 });
    }
    return new Promise((resolve) => {
      this.handlers.set(id, { onReply, resolve });
      this.send({ type: "execute", id, code, cellId: options.cellId, options: options.options });
    });
  }

  /** Run a kernel command (stage table, graph, ...) and return its result. */
  command(command: string, args?: Record<string, unknown>): Promise<unknown> {
    const id = `c${this.nextId++}`;
    return new Promise((resolve, reject) => {
      this.handlers.set(id, {
        onReply: (r) => {
          if (r.type !== "commandResult") return;
          if (r.ok) resolve(r.result);
          else reject(new Error(r.error));
        },
        resolve: () => reject(new Error("the kernel died")),
      });
      this.send({ type: "command", id, command, args });
    });
  }

  /** Completions at `cursorPos` in `code` (answered even while a cell runs). */
  complete(code: string, cursorPos: number): Promise<Extract<Reply, { type: "completeReply" }>> {
    return this.ask({ type: "complete", id: `q${this.nextId++}`, code, cursor_pos: cursorPos }, "completeReply");
  }

  /** Type and doc comment of the name at `cursorPos` in `code`. */
  inspect(code: string, cursorPos: number): Promise<Extract<Reply, { type: "inspectReply" }>> {
    return this.ask({ type: "inspect", id: `q${this.nextId++}`, code, cursor_pos: cursorPos }, "inspectReply");
  }

  private ask<T extends Reply["type"]>(request: Request & { id: string }, answer: T): Promise<Extract<Reply, { type: T }>> {
    return new Promise((resolve, reject) => {
      this.handlers.set(request.id, {
        onReply: (r) => {
          this.handlers.delete(request.id);
          if (r.type === answer) resolve(r as Extract<Reply, { type: T }>);
          else reject(new Error(r.type === "commandResult" ? (r.error ?? "failed") : `unexpected reply ${r.type}`));
        },
        resolve: () => reject(new Error("the kernel died")),
      });
      this.send(request);
    });
  }

  /** Interrupt the running cell. */
  interrupt(): void {
    this.send({ type: "interrupt" });
  }

  /** Ask the kernel to exit; kill it if it has not within `graceMs`. */
  async shutdown(graceMs = 2000): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.send({ type: "shutdown" });
    const timer = setTimeout(() => this.child.kill("SIGKILL"), graceMs);
    await gone;
    clearTimeout(timer);
  }

  /** End the kernel process now (SIGKILL): for a kernel an interrupt did not stop. */
  kill(): void {
    if (!this.exited) this.child.kill("SIGKILL");
  }

  private send(request: Request): void {
    if (this.exited) return;
    (this.child.stdin as Writable).write(encode(request));
  }

  private raw(name: "stdout" | "stderr", text: string): void {
    this.emit(name, text);
    // Raw output (native code, crash traces) belongs to the running execution: the oldest pending.
    const running = [...this.handlers.keys()].find((id) => id.startsWith("e"));
    if (running) this.handlers.get(running)!.onReply({ type: "stream", id: running, name, text });
  }

  private dispatch(reply: Reply): void {
    this.emit("reply", reply);
    // An error that escaped a finished cell: whoever shows the notebook places it.
    if (reply.type === "fault") return void this.emit("fault", reply);
    if (!("id" in reply)) return;
    const h = this.handlers.get(reply.id);
    if (!h) return;
    h.onReply(reply);
    if (reply.type === "done") {
      this.handlers.delete(reply.id);
      h.resolve({ status: reply.status, executionCount: reply.executionCount, durationMs: reply.durationMs });
    } else if (reply.type === "commandResult") {
      this.handlers.delete(reply.id);
    }
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    const detail = this.stderrTail.trim() ? `\n${this.stderrTail.trim()}` : "";
    for (const [id, h] of this.handlers) {
      h.onReply({ type: "error", id, error: { name: "KernelDied", message: `The kernel died (${how}). The next run starts a fresh kernel.${detail}` } });
      h.resolve({ status: "error", executionCount: 0, durationMs: 0 });
    }
    this.handlers.clear();
    this.emit("exit", code, signal);
  }
}
