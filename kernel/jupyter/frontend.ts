// The Jupyter front end: answers the five channels by driving an mlnb kernel session (the one VS Code and the CLI use).
//
// User code runs in the usual kernel child process (kernel/server.ts via KernelClient), so this
// process always answers heartbeats, interrupts and completions, even during `while (true) {}`.
import { randomUUID } from "node:crypto";
import { dirname } from "node:path";
import type * as TS from "typescript";
import { KernelClient } from "../client.js";
import { hostChecker, wantsChecker, type CheckHost } from "../exec/checkHost.js";
import { packageVersion } from "../version.js";
import { Channels, type ChannelName } from "./channels.js";
import { bindSockets, type ConnectionInfo } from "./connection.js";
import { cellIdFor, runInSession, traceback } from "./execute.js";
import { completeReply, inspectReply, isComplete } from "./intel.js";
import { Signer, type Message } from "./wire.js";
import { typescript } from "../lang/typescript.js";

export interface FrontendOptions {
  connection: ConnectionInfo;
  /** The notebook the session belongs to (its run store lives beside it). */
  notebookPath: string;
  log?: (line: string) => void;
  /** Called once the front end has shut down (the process entry exits). */
  onShutdown?: (restart: boolean) => void;
  /** The first session's type checker, hosted in this process (started by the process entry, before the rest loaded). */
  checkHost?: CheckHost;
}

const IMMEDIATE = new Set(["complete_request", "inspect_request", "is_complete_request", "kernel_info_request", "comm_info_request", "history_request"]);

/** A running Jupyter kernel; `start` binds the sockets and starts the session process. */
export class JupyterFrontend {
  private kernel: Promise<KernelClient> | undefined;
  /** The next session's type checker, started with the front end so it warms while Jupyter connects (kernel/exec/checkHost.ts). */
  private checkHost: CheckHost | undefined;
  private executionCount = 0;
  private readonly shownDisplays = new Set<string>();
  private readonly history: { line: number; input: string }[] = [];
  private readonly queue: Message[] = [];
  private draining = false;
  private stopped = false;

  private constructor(
    private readonly channels: Channels,
    private readonly options: FrontendOptions,
  ) {
    this.checkHost = options.checkHost;
    // The session process starts once the first kernel_info is answered (clients wait for that
    // reply, and the two processes would share the CPU), or after a moment if none comes.
    setTimeout(() => void this.kernelStarted().catch(() => {}), 1000).unref();
  }

  /** Bind the channels and start answering; the session process starts alongside. */
  static async start(options: FrontendOptions): Promise<JupyterFrontend> {
    const log = options.log ?? ((line: string) => process.stderr.write(line + "\n"));
    const signer = new Signer(options.connection.key, options.connection.signature_scheme);
    const sockets = await bindSockets(options.connection);
    const channels = new Channels(sockets, signer, randomUUID(), log);
    const fe = new JupyterFrontend(channels, { ...options, log });
    void channels.listen("shell", (m) => fe.enqueue(m));
    void channels.listen("control", (m) => void fe.control(m));
    void channels.listen("stdin", () => {});
    void channels.heartbeat();
    return fe;
  }

  /** Stop the running cell (interrupt_request, or SIGINT to this process). */
  async interrupt(): Promise<void> {
    (await this.kernel?.catch(() => undefined))?.interrupt();
  }

  private kernelStarted(): Promise<KernelClient> {
    return (this.kernel ??= this.startKernel());
  }

  private startKernel(): Promise<KernelClient> {
    // A session started again (the last one died) gets a checker of its own, as the first did.
    const checkHost = this.checkHost ?? (wantsChecker(process.env) ? hostChecker(dirname(this.options.notebookPath)) : undefined);
    this.checkHost = undefined;
    const started = KernelClient.start({ notebookPath: this.options.notebookPath, ownProcessGroup: true, ...(checkHost ? { checkHost } : {}) });
    started.catch((e: Error) => this.options.log!(`mlnb jupyter: the kernel did not start: ${e.message}`));
    return started;
  }

  /** The session process, started again if it died (a cell called process.exit, or crashed). */
  private async liveKernel(): Promise<KernelClient> {
    const k = await this.kernelStarted().catch(() => undefined);
    if (k?.alive) return k;
    this.kernel = this.startKernel();
    return this.kernel;
  }

  private enqueue(msg: Message): void {
    // Questions about code are answered at once, even while a cell runs (the kernel's language
    // service runs off its main thread); executions and the rest keep their order.
    if (IMMEDIATE.has(msg.header.msg_type)) {
      void this.channels.busy(msg, () => this.handle("shell", msg)).catch((e: Error) => this.options.log!(`mlnb jupyter: ${msg.header.msg_type} failed: ${e.stack}`));
      return;
    }
    this.queue.push(msg);
    if (!this.draining) void this.drain();
  }

  /** Shell requests run one at a time, in order (as in ipykernel). */
  private async drain(): Promise<void> {
    this.draining = true;
    while (this.queue.length) {
      const msg = this.queue.shift()!;
      await this.channels.busy(msg, () => this.handle("shell", msg)).catch((e: Error) => this.options.log!(`mlnb jupyter: ${msg.header.msg_type} failed: ${e.stack}`));
    }
    this.draining = false;
  }

  private async control(msg: Message): Promise<void> {
    await this.channels.busy(msg, () => this.handle("control", msg)).catch((e: Error) => this.options.log!(`mlnb jupyter: ${msg.header.msg_type} failed: ${e.stack}`));
  }

  private async handle(channel: ChannelName, msg: Message): Promise<void> {
    const c = msg.content;
    const reply = (type: string, content: Record<string, unknown>) => this.channels.reply(channel, msg, type, content);
    switch (msg.header.msg_type) {
      case "kernel_info_request":
        await reply("kernel_info_reply", kernelInfo());
        setImmediate(() => void this.kernelStarted().catch(() => {}));
        return;
      case "execute_request":
        return this.execute(channel, msg);
      case "complete_request":
      case "inspect_request": {
        const code = String(c.code ?? "");
        const cursor = typeof c.cursor_pos === "number" ? c.cursor_pos : [...code].length;
        const kernel = await this.liveKernel();
        if (msg.header.msg_type === "complete_request") return reply("complete_reply", await completeReply(kernel, code, cursor));
        return reply("inspect_reply", await inspectReply(kernel, code, cursor));
      }
      case "is_complete_request":
        return reply("is_complete_reply", isComplete(await loadTypeScript(), String(c.code ?? "")));
      case "comm_info_request":
        return reply("comm_info_reply", { status: "ok", comms: {} });
      case "history_request":
        return reply("history_reply", { status: "ok", history: this.historyFor(c) });
      case "interrupt_request":
        await this.interrupt();
        return reply("interrupt_reply", { status: "ok" });
      case "shutdown_request":
        return this.shutdown(channel, msg, c.restart === true);
      case "comm_open":
      case "comm_msg":
      case "comm_close":
        return; // no comm targets: nothing to open
      default:
        this.options.log!(`mlnb jupyter: ignored ${msg.header.msg_type} on ${channel} (not supported)`);
    }
  }

  private async execute(channel: ChannelName, msg: Message): Promise<void> {
    const c = msg.content;
    const code = String(c.code ?? "");
    const silent = c.silent === true;
    const storeHistory = silent ? false : c.store_history !== false;
    if (storeHistory) this.executionCount++;
    const count = this.executionCount;
    // Publications leave in order (one outbox per socket): no need to wait for this one.
    if (!silent) void this.channels.publish(msg, "execute_input", { code, execution_count: count });
    if (storeHistory) this.history.push({ line: count, input: code });
    const kernel = await this.liveKernel();
    const ran = await runInSession(kernel, this.channels, msg, code, { silent, cellId: cellIdFor(code, msg.metadata, count), executionCount: count, shownDisplays: this.shownDisplays });
    const userExpressions: Record<string, unknown> = {};
    const expressions = (c.user_expressions ?? {}) as Record<string, unknown>;
    for (const [name, expr] of Object.entries(expressions)) {
      const r = await runInSession(kernel, this.channels, msg, String(expr), { silent: true, cellId: "jupyter-user-expression", executionCount: count, shownDisplays: this.shownDisplays });
      userExpressions[name] = r.status === "ok" ? { status: "ok", data: r.result ?? {}, metadata: {} } : { status: "error", ...errorContent(r.error) };
    }
    const content =
      ran.status === "ok"
        ? { status: "ok", execution_count: count, user_expressions: userExpressions, payload: [] }
        : { status: "error", execution_count: count, ...errorContent(ran.error ?? (ran.status === "interrupted" ? { name: "KeyboardInterrupt", message: "Interrupted by the user" } : undefined)), user_expressions: userExpressions, payload: [] };
    // Abort before replying: a client may send its next request as soon as it has the reply.
    if (ran.status !== "ok" && c.stop_on_error !== false) this.abortQueued();
    await this.channels.reply(channel, msg, "execute_reply", content, { status: content.status });
  }

  /** After an error, executions already queued are answered "aborted" and not run (as ipykernel does). */
  private abortQueued(): void {
    const aborted = this.queue.filter((m) => m.header.msg_type === "execute_request");
    this.queue.splice(0, this.queue.length, ...this.queue.filter((m) => m.header.msg_type !== "execute_request"));
    for (const m of aborted) {
      void this.channels.busy(m, () => this.channels.reply("shell", m, "execute_reply", { status: "aborted", execution_count: this.executionCount }, { status: "aborted" }));
    }
  }

  private historyFor(c: Record<string, unknown>): [number, number, string][] {
    const all = this.history.map((h) => [1, h.line, h.input] as [number, number, string]);
    switch (c.hist_access_type) {
      case "tail":
        return all.slice(-Math.max(0, Number(c.n ?? 10)));
      case "range": {
        const start = Number(c.start ?? 0);
        const stop = c.stop === undefined || c.stop === null ? Infinity : Number(c.stop);
        return all.filter(([, line]) => line >= start && line < stop);
      }
      case "search": {
        const glob = new RegExp(`^${String(c.pattern ?? "*").replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "s");
        const hits = all.filter(([, , input]) => glob.test(input));
        return c.n ? hits.slice(-Number(c.n)) : hits;
      }
      default:
        return all;
    }
  }

  /** Stop the session process and close the channels (the client is gone). */
  async close(): Promise<void> {
    this.stopped = true;
    this.checkHost?.close();
    await (await this.kernel?.catch(() => undefined))?.shutdown();
    this.channels.sockets.close();
  }

  private async shutdown(channel: ChannelName, msg: Message, restart: boolean): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.checkHost?.close();
    await this.channels.reply(channel, msg, "shutdown_reply", { status: "ok", restart });
    await this.channels.publish(msg, "shutdown_reply", { status: "ok", restart });
    await (await this.kernel?.catch(() => undefined))?.shutdown();
    // Let the idle status and the reply leave before the sockets close.
    setTimeout(() => {
      this.channels.sockets.close();
      this.options.onShutdown?.(restart);
    }, 50);
  }
}

let tsModule: Promise<typeof TS> | undefined;
/** TypeScript, loaded on the first request that needs it (not on the start path). */
function loadTypeScript(): Promise<typeof TS> {
  return (tsModule ??= Promise.resolve().then(() => typescript()));
}

function errorContent(e: { name: string; message: string; stack?: string; line?: number; column?: number } | undefined): Record<string, unknown> {
  const err = e ?? { name: "Error", message: "the cell failed" };
  return { ename: err.name, evalue: err.message, traceback: traceback(err) };
}

/** kernel_info_reply content. */
export function kernelInfo(): Record<string, unknown> {
  return {
    status: "ok",
    protocol_version: "5.3",
    implementation: "mlnb",
    implementation_version: packageVersion(),
    language_info: { name: "typescript", version: "5.9", mimetype: "text/typescript", file_extension: ".ts", codemirror_mode: { name: "javascript", typescript: true }, pygments_lexer: "typescript" },
    banner: `mlnb ${packageVersion()}: TypeScript machine-learning pipeline notebooks (Node ${process.version})`,
    help_links: [],
    debugger: false,
  };
}
