// The type checker's thread: TypeScript loads and checks cells here, so the kernel's main thread never waits for it unless a cell must.
//
// Requests come from kernel/exec/checker.ts in order and are answered in order: a cell's check,
// then its commit (after it ran), then the next cell's check, so each check sees the
// declarations of the cells before it. A thread started first thing in the kernel process
// (checkerPrestart.ts) warms at once and learns its cache and state by an `init` request.
import { parentPort, workerData } from "node:worker_threads";
import { typescript } from "../lang/typescript.js";
import { openCheckCache } from "./checkCache.js";
import { afterAnswer, answerCheck, finishWarming } from "./checkAnswer.js";
import type { CheckRequest } from "./checker.js";
import { CellTypeChecker, type CheckerState } from "./typecheck.js";
import { mark } from "../runtime/trace.js";

mark("checker: thread started");

const { notebookDir, cacheDir, state, warmNow } = workerData as { notebookDir: string; cacheDir?: string; state?: CheckerState; warmNow?: boolean };
const checker = new CellTypeChecker(typescript, notebookDir, cacheDir ? openCheckCache(cacheDir, notebookDir) : undefined);
// What the kernel's main thread learned before it needed TypeScript (see checker.ts).
if (state) checker.adopt(state);

parentPort!.on("message", (req: CheckRequest) => {
  parentPort!.postMessage(answerCheck(checker, notebookDir, req));
  afterAnswer(checker, req);
});

// Started before the kernel knew it would check anything: load TypeScript and parse the libraries
// now. Requests that come meanwhile wait for this turn to end, and are then answered in order; the
// binding and an empty check follow unless a check came first (it binds them itself).
if (warmNow) {
  setImmediate(() => {
    try {
      checker.prepare();
      mark(`checker: libraries parsed (${checker.libraryTextsServed} from kept texts)`);
    } catch {
      // A warm-up that fails is retried by the first check, which reports the error.
    }
    finishWarming(checker);
  });
}
