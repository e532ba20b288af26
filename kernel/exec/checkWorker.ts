// The type checker's thread: TypeScript loads and checks cells here, so the kernel's main thread never waits for it unless a cell must.
//
// Requests come from kernel/exec/checker.ts in order and are answered in order: a cell's check,
// then its commit (after it ran), then the next cell's check, so each check sees the
// declarations of the cells before it.
import { parentPort, workerData } from "node:worker_threads";
import { keepTypeScriptCodeCache, typescript, typescriptLoaded } from "../lang/typescript.js";
import { openCheckCache } from "./checkCache.js";
import type { CheckReply, CheckRequest } from "./checker.js";
import { CellTypeChecker, declaredNames } from "./typecheck.js";

const { notebookDir, cacheDir } = workerData as { notebookDir: string; cacheDir?: string };
const checker = new CellTypeChecker(typescript, notebookDir, cacheDir ? openCheckCache(cacheDir, notebookDir) : undefined);

function handle(req: CheckRequest): unknown {
  switch (req.op) {
    case "check":
      return checker.check(req.code, (ts) => declaredNames(ts, req.code));
    case "commit":
      return checker.commit(req.code);
    case "learn":
      // Declarations recorded with a stage's execution: no type check of a restored stage.
      if (checker.relearn(req.code, req.stored)) return;
      checker.check(req.code, (ts) => declaredNames(ts, req.code));
      return checker.commit(req.code);
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
