// Errors that escape every cell (a throw in a timer, an unhandled rejection): attributed and reported, never fatal.
//
// Each execution runs inside an AsyncLocalStorage context holding its id, so a timer or promise
// it scheduled still knows, when it fails later, which execution it came from.
import { AsyncLocalStorage } from "node:async_hooks";
import type { ErrorInfo, Reply } from "../protocol.js";

export interface FaultReporterOptions {
  send: (reply: Reply) => void;
  /** The execution running now, if any. */
  running: () => string | undefined;
  /** The cell label ("Cell[3]") of an execution id, when known. */
  labelOf: (id: string) => string | undefined;
  /** Turns a thrown value into ErrorInfo with cell lines (the executor's mapping). */
  describe: (error: unknown) => ErrorInfo;
}

export interface FaultReporter {
  /** Run `f` with `id` as the execution everything it schedules belongs to. */
  within<T>(id: string, f: () => T): T;
  /** Report an error that reached the process's uncaught handlers. */
  report(error: unknown, origin: "uncaughtException" | "unhandledRejection"): void;
}

/** Create the reporter; the kernel's process-level handlers call `report`. */
export function createFaultReporter(options: FaultReporterOptions): FaultReporter {
  const context = new AsyncLocalStorage<string>();
  return {
    within: (id, f) => context.run(id, f),
    report(error, origin) {
      const owner = context.getStore();
      const info = options.describe(error);
      const label = owner ? options.labelOf(owner) : undefined;
      const what = origin === "unhandledRejection" ? "Unhandled promise rejection" : "Uncaught error";
      if (owner && owner === options.running()) {
        // The cell that scheduled it is still running: show it there, like any output.
        options.send({ type: "error", id: owner, error: { ...info, message: `${what} in a callback of this cell: ${info.message}` } });
        return;
      }
      const where = label ? `in a callback scheduled by ${label}, after it finished` : "outside any cell";
      options.send({ type: "fault", ...(owner ? { id: owner } : {}), error: { ...info, message: `${what} ${where}: ${info.message} (the kernel and its variables live on)` } });
    },
  };
}

/**
 * Keep the kernel's error boundary its own: a library that adds a process handler which only throws
 * again (Emscripten's Node shell does, so tfjs-backend-wasm made every uncaught error or unhandled
 * rejection fatal once loaded) has that handler removed as soon as it is added. Other handlers stay.
 */
export function refuseRethrowingHandlers(): void {
  process.on("newListener", (event: string | symbol, listener: (...args: unknown[]) => void) => {
    if ((event === "uncaughtException" || event === "unhandledRejection") && onlyRethrows(listener)) {
      process.nextTick(() => process.removeListener(event, listener));
    }
  });
}

/** True for `function (e) { throw e; }`, also guarded by one `instanceof` test, or as an arrow. */
export function onlyRethrows(listener: (...args: unknown[]) => void): boolean {
  const source = Function.prototype.toString.call(listener).replace(/\s+/g, "");
  return /^(?:function\w*)?\(?(\w+)\)?(?:=>)?\{(?:if\(!\(\1instanceof[\w$.]+\)\)\{?)?throw\1;?\}?\}$/.test(source);
}
