// Answers one checker request with a CellTypeChecker: the one handler of the checker thread and of the language server's check socket.
import { keepTypeScriptCodeCache, typescriptLoaded } from "../lang/typescript.js";
import { openCheckCache } from "./checkCache.js";
import type { CheckReply, CheckRequest } from "./checker.js";
import { declaredNames, type CellTypeChecker } from "./typecheck.js";

/** The value answering `req` (throws what the checker throws). */
function value(checker: CellTypeChecker, notebookDir: string, req: CheckRequest): unknown {
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

/** The reply to `req`: its value, or the error it raised. */
export function answerCheck(checker: CellTypeChecker, notebookDir: string, req: CheckRequest): CheckReply {
  try {
    return { id: req.id, ok: true, value: value(checker, notebookDir, req) };
  } catch (e) {
    return { id: req.id, ok: false, error: (e as Error).stack ?? String(e) };
  }
}

/**
 * After the answer, not before it: the first check (or warm-up) compiled the compiler's hot
 * functions, which the next process then loads from V8's code cache (once per TypeScript and Node).
 */
export function afterAnswer(req: CheckRequest): void {
  if (req.op === "warm" || req.op === "check") keepTypeScriptCodeCache();
}
