// The type checker's thread: TypeScript loads and checks cells here, so the kernel's main thread never waits for it unless a cell must.
//
// Requests come from kernel/exec/checker.ts in order and are answered in order: a cell's check,
// then its commit (after it ran), then the next cell's check, so each check sees the
// declarations of the cells before it. A thread started first thing in the kernel process
// (checkerPrestart.ts) warms at once and learns its cache and state by an `init` request.
import { parentPort, workerData } from "node:worker_threads";
import { keepTypeScriptCodeCache, typescript, typescriptLoaded } from "../lang/typescript.js";
import { openCheckCache } from "./checkCache.js";
import type { CheckReply, CheckRequest } from "./checker.js";
import { CellTypeChecker, declaredNames, type CheckerState } from "./typecheck.js";
import { mark } from "../runtime/trace.js";

mark("checker: thread started");

const { notebookDir, cacheDir, state, warmNow } = workerData as { notebookDir: string; cacheDir?: string; state?: CheckerState; warmNow?: boolean };
const checker = new CellTypeChecker(typescript, notebookDir, cacheDir ? openCheckCache(cacheDir, notebookDir) : undefined);
// What the kernel's main thread learned before it needed TypeScript (see checker.ts).
if (state) checker.adopt(state);

function handle(req: CheckRequest): unknown {
  switch (req.op) {
    case "init":
      if (req.cacheDir) checker.useCache(openCheckCache(req.cacheDir, notebookDir));
      if (req.state) checker.adopt(req.state);
      return undefined;
    case "check":
      return checker.check(req.code, (ts) => declaredNames(ts, req.code));
    case "commit":
      return checker.commit(req.code);
    case "learn":
      return checker.learn(req.code, req.stored);
    case "declarations":
      return checker.declarationsOf(req.code);
    case "reset":
      return checker.reset();
    case "warm":
      return checker.warm();
    case "loaded":
      return typescriptLoaded();
  }
}

parentPort!.on("message", (req: CheckRequest) => {
  let reply: CheckReply;
  try {
    reply = { id: req.id, ok: true, value: handle(req) };
  } catch (e) {
    reply = { id: req.id, ok: false, error: (e as Error).stack ?? String(e) };
  }
  parentPort!.postMessage(reply);
  // After the answer, not before it: the first check (or warm-up) compiled the compiler's hot
  // functions, which the next kernel then loads from V8's code cache (once per TypeScript and Node).
  if (req.op === "warm" || req.op === "check") keepTypeScriptCodeCache();
});

// Started before the kernel knew it would check anything: load TypeScript and the libraries now.
// Requests that come meanwhile wait for this turn to end, and are then answered in order.
if (warmNow) {
  setImmediate(() => {
    try {
      checker.warm();
      mark("checker: warm");
      keepTypeScriptCodeCache();
    } catch {
      // A warm-up that fails is retried by the first check, which reports the error.
    }
  });
}
