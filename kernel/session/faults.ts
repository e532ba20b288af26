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
