// The kernel's handle on its type checker thread (checkWorker.ts): requests in order, answers as promises.
//
// The thread starts on first use (a kernel with type checking off never starts it) and does not
// keep the process alive while nothing is pending.
import { Worker } from "node:worker_threads";
import type { CellDiagnostic } from "./typecheck.js";

/** A request to the checker thread (`id` pairs it with its reply). */
export type CheckRequest = { id: number } & (
  | { op: "check"; code: string }
  | { op: "commit"; code: string }
  | { op: "learn"; code: string; stored?: readonly [string, string][] }
  | { op: "declarations"; code: string }
  | { op: "reset" | "warm" | "loaded" }
);

/** The checker thread's answer to one request. */
export type CheckReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

export interface TypeChecker {
  /** Diagnostics of `code` after the cells committed so far. */
  check(code: string): Promise<CellDiagnostic[]>;
  /** After `code` ran: its declarations become known to later checks (ordered after its check). */
  commit(code: string): void;
  /** Teach the checker a cell's declarations without running it: the ones recorded, else by checking it. */
  learn(code: string, stored?: readonly [string, string][]): Promise<void>;
  /** The declarations `code` made when it was last committed, if it was. */
  declarations(code: string): Promise<[string, string][] | undefined>;
  /** Forget every declaration (after %reset). */
  reset(): void;
  /** Load TypeScript and the checker's libraries now, on the checker thread. */
  warm(): void;
  /** Whether the checker thread has loaded TypeScript. */
  typescriptLoaded(): Promise<boolean>;
}

/** A request without its id. */
type Body = CheckRequest extends infer R ? (R extends CheckRequest ? Omit<R, "id"> : never) : never;

/** Start (lazily) the checker thread for a notebook in `notebookDir`; results persist in `cacheDir` when given. */
export function createTypeChecker(notebookDir: string, cacheDir?: string): TypeChecker {
  let worker: Worker | undefined;
  let nextId = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  const thread = () => {
    if (worker) return worker;
    const w = new Worker(new URL("./checkWorker.js", import.meta.url), { workerData: { notebookDir, cacheDir } });
    w.unref();
    w.on("message", (reply: CheckReply) => {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (!pending.size) w.unref();
      if (reply.ok) p.resolve(reply.value);
      else p.reject(new Error(reply.error));
    });
    const fail = (e: Error) => {
      worker = undefined;
      for (const p of pending.values()) p.reject(new Error(`the type checker thread stopped: ${e.message}`));
      pending.clear();
    };
    w.on("error", fail);
    w.on("exit", (code) => fail(new Error(`exit code ${code}`)));
    return (worker = w);
  };

  function request<T>(body: Body): Promise<T> {
    const w = thread();
    const id = ++nextId;
    const answer = new Promise<T>((resolve, reject) => pending.set(id, { resolve: resolve as (v: unknown) => void, reject }));
    w.ref(); // a pending answer keeps the process alive
    w.postMessage({ id, ...body });
    return answer;
  }
  const quietly = (p: Promise<unknown>) => void p.catch(() => {});

  return {
    check: (code) => request<CellDiagnostic[]>({ op: "check", code }),
    commit: (code) => quietly(request({ op: "commit", code })),
    learn: (code, stored) => request<void>({ op: "learn", code, ...(stored ? { stored } : {}) }),
    declarations: (code) => (worker ? request<[string, string][] | undefined>({ op: "declarations", code }) : Promise.resolve(undefined)),
    reset: () => void (worker && quietly(request({ op: "reset" }))),
    warm: () => quietly(request({ op: "warm" })),
    typescriptLoaded: () => (worker ? request<boolean>({ op: "loaded" }) : Promise.resolve(false)),
  };
}
