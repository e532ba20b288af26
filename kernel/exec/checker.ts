// The kernel's handle on its type checker thread (checkWorker.ts): requests in order, answers as promises.
//
// Checks the persistent cache answers (a fresh kernel over a warm store) are answered here, on the
// main thread, from the same CellTypeChecker code with TypeScript withheld: no thread starts for
// them. The first check that needs TypeScript starts the thread, hands it what was learned so far
// and from then on every request goes there, in order. The thread does not keep the process alive
// while nothing is pending.
import { openCheckCache } from "./checkCache.js";
import { mark } from "../runtime/trace.js";
import { DAEMON_HOST, startDaemonSoon } from "./checkDaemonPlace.js";
import { checkerThread, type CheckPort } from "./checkPort.js";
import { prestartedChecker, takePrestartedChecker } from "./checkerPrestart.js";
import { CellTypeChecker, declaredNames, type CellDiagnostic, type CheckerState } from "./typecheck.js";

/** Thrown by the main thread's checker where it would need TypeScript: the thread takes over. */
class NeedsTypeScript extends Error {}
const withheld = (): never => {
  throw new NeedsTypeScript();
};

/** A request to the checker thread (`id` pairs it with its reply). */
export type CheckRequest = { id: number } & (
  | { op: "check"; code: string }
  | { op: "commit"; code: string }
  | { op: "learn"; code: string; stored?: readonly [string, string][] }
  | { op: "declarations"; code: string }
  | { op: "init"; cacheDir?: string; state?: CheckerState; notebookPath?: string }
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
  /** Whether the checker thread was started, here or first thing in the process (not while the persistent cache answered every check). */
  threadStarted(): boolean;
  /** Where checks that need TypeScript go: "language server", "starting process" (a remote checker), "thread" (this kernel's), or nowhere yet. */
  where(): string | undefined;
}

/** A request without its id. */
type Body = CheckRequest extends infer R ? (R extends CheckRequest ? Omit<R, "id"> : never) : never;

/** Start (lazily) the checker thread for a notebook in `notebookDir`; results persist in `cacheDir` when given. */
export function createTypeChecker(notebookDir: string, cacheDir?: string): TypeChecker {
  let worker: CheckPort | undefined;
  let nextId = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; body: Body }>();
  // Answers from the persistent cache until a request needs TypeScript (no cache: no such answers).
  let front: CellTypeChecker | undefined = cacheDir ? new CellTypeChecker(withheld, notebookDir, openCheckCache(cacheDir, notebookDir)) : undefined;
  // What a remote checker was taught (the main thread's state, then each cell committed or
  // learned), so a thread of our own can take over if the language server goes away.
  let handed: CheckerState | undefined;
  const taught: Body[] = [];

  const attach = (w: CheckPort) => {
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
      if (worker !== w) return;
      worker = undefined;
      if (w.remote) {
        // A lost daemon is replaced for the kernels after this one (this one checks on its thread now).
        if (w.host === DAEMON_HOST) startDaemonSoon(notebookDir);
        return takeOver(e);
      }
      for (const p of pending.values()) p.reject(new Error(`the type checker thread stopped: ${e.message}`));
      pending.clear();
    };
    w.on("error", fail);
    w.on("exit", (code) => fail(new Error(`exit code ${code}`)));
    worker = w;
  };
  // The remote checker is gone: a thread of ours learns what it knew and answers what it had not,
  // now if answers are owed, else on the next request (a kernel whose host went because the kernel
  // is ending, as Jupyter kills the front end first, starts no TypeScript for nothing).
  let lost = false;
  const takeOver = (e: Error) => {
    mark(`kernel: the remote checker is gone (${e.message}); ${pending.size ? "checking on a thread" : "a thread will check"}`);
    lost = true;
    if (pending.size) thread();
  };
  const replace = () => {
    lost = false;
    attach(checkerThread({ notebookDir, cacheDir, state: handed }));
    for (const body of taught) post(++nextId, body, false);
    for (const [id, p] of pending) post(id, p.body);
    return worker!;
  };

  const thread = () => {
    if (worker) return worker;
    if (lost) return replace();
    // What the main thread learned goes with the thread it hands over to.
    const state = front?.state();
    front = undefined;
    // The checker started first thing in this process (already warming), else a new thread.
    const prestarted = takePrestartedChecker(notebookDir);
    attach(prestarted ?? checkerThread({ notebookDir, cacheDir, state }));
    if (prestarted) {
      handed = state;
      void send({ op: "init", ...(cacheDir ? { cacheDir } : {}), ...(state ? { state } : {}) }).catch(() => {});
    }
    return worker!;
  };

  function request<T>(body: Body): Promise<T> {
    thread();
    if (worker?.remote) {
      if (body.op === "reset") (taught.length = 0), (handed = undefined);
      if (body.op === "commit" || body.op === "learn") taught.push(body.op === "commit" ? { op: "learn", code: body.code } : body);
    }
    return send<T>(body);
  }
  function send<T>(body: Body): Promise<T> {
    const id = ++nextId;
    const answer = new Promise<T>((resolve, reject) => pending.set(id, { resolve: resolve as (v: unknown) => void, reject, body }));
    post(id, body);
    return answer;
  }
  function post(id: number, body: Body, awaited = true): void {
    if (awaited) worker!.ref(); // a pending answer keeps the process alive
    worker!.postMessage({ id, ...body } as CheckRequest);
  }
  /** `answer` on the main thread while it needs no TypeScript, else `body` on the checker thread. */
  function here<T>(answer: (c: CellTypeChecker) => T, body: Body): Promise<T> {
    if (front) {
      try {
        return Promise.resolve(answer(front));
      } catch (e) {
        if (!(e instanceof NeedsTypeScript)) return Promise.reject(e);
      }
    }
    return request<T>(body);
  }
  const quietly = (p: Promise<unknown>) => void p.catch(() => {});

  return {
    check: (code) => here((c) => c.check(code, (ts) => declaredNames(ts, code)), { op: "check", code }),
    commit: (code) => quietly(here((c) => c.commit(code), { op: "commit", code })),
    learn: (code, stored) => here((c) => c.learn(code, stored), { op: "learn", code, ...(stored ? { stored } : {}) }),
    declarations: (code) => (front ? Promise.resolve(front.declarationsOf(code)) : worker || lost ? request<[string, string][] | undefined>({ op: "declarations", code }) : Promise.resolve(undefined)),
    reset: () => {
      if (front) return front.reset();
      // A lost remote's replacement, not started yet, will know nothing: nothing to reset.
      if (lost) return void ((taught.length = 0), (handed = undefined));
      if (worker) quietly(request({ op: "reset" }));
    },
    warm: () => quietly(request({ op: "warm" })),
    typescriptLoaded: () => (worker ? request<boolean>({ op: "loaded" }) : Promise.resolve(false)),
    threadStarted: () => worker !== undefined || prestartedChecker() !== undefined,
    where: () => {
      const port = worker ?? prestartedChecker();
      return port ? (port.remote ? (port.host ?? "language server") : "thread") : undefined;
    },
  };
}
