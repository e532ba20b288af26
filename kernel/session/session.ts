// One notebook's kernel session: runs execute requests in order and reports replies.
//
// The transport (stdin/fd 3, or an in-process caller) is injected as `send`; this module owns
// the execution counter, the stream attribution and the run context that library verbs use.
import { setContext, type Mime } from "../ml/context.js";
import { keepChartsIn } from "../ml/display.js";
import { localCacheDir } from "../stages/store/location.js";
import { createExecutor, type Executor } from "../exec/executor.js";
import type { CellDiagnostic } from "../exec/typecheck.js";
import type { ExecuteOptions, Reply, TypeCheckMode } from "../protocol.js";
import { loadStageModules, NotebookState, notebookPathFromEnv } from "./notebook.js";
import { runCell } from "./runCell.js";
import { runCommand } from "./commands.js";
import { createFaultReporter } from "./faults.js";
import { mark } from "../runtime/trace.js";

export interface SessionOptions {
  notebookDir: string;
  send: (reply: Reply) => void;
  typeCheck?: TypeCheckMode;
  /** The notebook file (for the run store and export); default from MLNB_NOTEBOOK. */
  notebookPath?: string;
  /** Run store folder; default `.mlnb/` beside the notebook (MLNB_STORE). */
  storeDir?: string;
  /** Whether the kernel has started its language thread (it starts on the first complete/inspect); for the `loaded` command. */
  languageThread?: () => boolean;
}

export interface Session {
  readonly executor: Executor;
  execute(id: string, code: string, options?: ExecuteOptions, cellId?: string): Promise<void>;
  command(id: string, command: string, args?: Record<string, unknown>): Promise<void>;
  interrupt(): void;
  /** Load the type checker and the stage machinery ahead of the first cell. */
  warmup(): Promise<void>;
  /** Close the run store (at shutdown). */
  close(): void;
  /** Id of the execution that stream output belongs to (the running one, else the last). */
  readonly streamOwner: string | undefined;
  /** Report an error that reached the process's uncaught handlers (shown, never fatal). */
  fault(error: unknown, origin: "uncaughtException" | "unhandledRejection"): void;
}

export function createSession(options: SessionOptions): Session {
  const { send } = options;
  const notebookPath = options.notebookPath ?? notebookPathFromEnv(options.notebookDir);
  const executor = createExecutor({ notebookDir: options.notebookDir, notebookPath, typeCheck: options.typeCheck });
  // Charts rendered once are shown again without vega, in this kernel and the next (see ml/display.ts).
  keepChartsIn(localCacheDir(notebookPath, "charts", options.storeDir));
  let executionCount = 0;
  let streamOwner: string | undefined;
  let queue: Promise<void> = Promise.resolve();
  let running: { id: string; finish: (status: "interrupted") => void } | undefined;
  /** Aborted by an interrupt of the current run: library verbs see it as `context().signal`. */
  let runSignal: AbortController | undefined;
  let anonymous = 0;
  let notebook: Promise<NotebookState> | undefined;
  let loaded: NotebookState | undefined;
  const labels = new Map<string, string>();
  const faults = createFaultReporter({ send, running: () => running?.id, labelOf: (id) => labels.get(id), describe: (e) => executor.describe(e) });
  const getNotebook = () =>
    (notebook ??= loadStageModules().then(
      (mods) => (mark("kernel: stage modules loaded"), loaded = new NotebookState(options.notebookPath ?? notebookPathFromEnv(options.notebookDir), mods, options.storeDir)),
    ));

  /** Resolves when the execution is done, even if its code never settles (interrupted). */
  function runOne(id: string, code: string, opts: ExecuteOptions = {}, cellId?: string): Promise<void> {
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const count = ++executionCount;
    const started = performance.now();
    streamOwner = id;
    send({ type: "status", state: "busy" });
    let finished = false;
    const done = (status: "ok" | "error" | "interrupted") => {
      if (finished) return;
      finished = true;
      running = undefined;
      mark(`kernel: ${labels.get(id) ?? id} done`);
      send({ type: "done", id, status, executionCount: count, durationMs: performance.now() - started });
      send({ type: "status", state: "idle" });
      settle();
    };
    running = {
      id,
      finish: (status) => {
        send({ type: "error", id, error: { name: "KeyboardInterrupt", message: "Interrupted by the user" } });
        done(status);
      },
    };
    const display = (data: Mime, displayId?: string) => send({ type: "display", id, data, displayId });
    runSignal = new AbortController();
    const signal = runSignal.signal;
    setContext({
      signal,
      display,
      metric: () => {},
      param: () => {},
      random: Math.random,
      seed: () => Math.floor(Math.random() * 2 ** 31),
    });
    const label = `Cell[${count}]`;
    labels.set(id, label);
    if (labels.size > 1000) labels.delete(labels.keys().next().value!);
    getNotebook()
      .then((nb) => {
        const cell = nb.setCell(cellId ?? `anonymous-${++anonymous}`, code);
        return runCell(nb, executor, cell, { cellId: cell.id, label, options: opts, signal }, {
          display,
          stream: (name, text) => send({ type: "stream", id, name, text }),
          stage: (info) => send({ type: "stage", id, info }),
        });
      })
      .then(
        async (outcome) => {
          if (finished) return;
          const warn = (ws: CellDiagnostic[]) => {
            for (const w of ws) send({ type: "stream", id, name: "stderr", text: `warning: ${label}:${w.line}:${w.column} TS${w.code}: ${w.message}\n` });
          };
          warn(outcome.warnings);
          if (outcome.result) send({ type: "result", id, data: outcome.result });
          if (outcome.error) send({ type: "error", id, error: outcome.error });
          // The result did not wait for a check still running (a fresh kernel loading TypeScript); its warnings come before "done".
          if (outcome.lateWarnings) warn(await outcome.lateWarnings);
          if (finished) return;
          done(outcome.status);
        },
        (e) => {
          if (finished) return;
          send({ type: "error", id, error: { name: "KernelError", message: (e as Error).stack ?? String(e) } });
          done("error");
        },
      );
    return settled;
  }

  return {
    executor,
    get streamOwner() {
      return streamOwner;
    },
    execute(id, code, opts, cellId) {
      const next = queue.then(() => faults.within(id, () => runOne(id, code, opts, cellId)));
      queue = next.catch(() => {});
      return next;
    },
    async command(id, command, args) {
      try {
        const result = await runCommand(await getNotebook(), executor, command, args ?? {}, { languageThread: options.languageThread ?? (() => false) });
        send({ type: "commandResult", id, ok: true, result });
      } catch (e) {
        send({ type: "commandResult", id, ok: false, error: (e as Error).message });
      }
    },
    async warmup() {
      await executor.warmup();
      await getNotebook();
    },
    close() {
      loaded?.close();
    },
    fault: (error, origin) => faults.report(error, origin),
    interrupt() {
      // Settle the run now: if its code is still busy, it was terminated or will never report.
      executor.interrupt();
      runSignal?.abort(new Error("Interrupted by the user"));
      // The run interrupted is the one running now: 50 ms later `running` may be the next request.
      const interrupted = running;
      if (interrupted) setTimeout(() => interrupted.finish("interrupted"), 50);
    },
  };
}
