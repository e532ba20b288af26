// Answers one checker request with a CellTypeChecker: the one handler of the checker thread and of the language server's check socket.
import { keepTypeScriptCodeCache, typescriptLoaded } from "../lang/typescript.js";
import { mark } from "../runtime/trace.js";
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
      // The rest of the warm-up waits for a free moment (afterAnswer): a check already queued goes first.
      return checker.prepare();
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
 * functions, which the next process then loads from V8's code cache (once per TypeScript and Node),
 * and read library files whose comment-free texts the next process parses instead.
 * A warm request finishes warming once the requests already queued are answered.
 */
export function afterAnswer(checker: CellTypeChecker, req: CheckRequest): void {
  if (req.op === "check") keepCaches(checker);
  if (req.op === "warm") finishWarming(checker);
}

/** Bind the libraries and check an empty cell on the next turn of the event loop (a no-op once a cell was checked), then keep the code cache. */
export function finishWarming(checker: CellTypeChecker): void {
  setImmediate(() => {
    try {
      if (checker.warm()) mark("checker: warm");
    } catch {
      // A warm-up that fails is retried by the first check, which reports the error.
    }
    keepCaches(checker);
  });
}

/** Keep what makes the next kernel's first check quicker: TypeScript's code cache, the library files' comment-free texts. */
function keepCaches(checker: CellTypeChecker): void {
  keepTypeScriptCodeCache();
  // Kept texts are an optimisation: a failure to make them costs the next kernel time, never a check.
  checker.keepLibraryTexts().catch(() => {});
}
