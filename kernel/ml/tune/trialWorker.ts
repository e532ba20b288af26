// A tune pool thread: loads the library once, then per search rebuilds the seeded folds from the table it is sent and fits one trial per message.
import * as aq from "arquero";
import { parentPort } from "node:worker_threads";
import { tf } from "../tf.js";
import { fitter, runTrial, searchFolds, type TrialContext, type TrialResult } from "./fit.js";
import type { SearchOptions } from "./search.js";
import type { PoolMessage } from "./trials.js";

let current: { id: number; ctx?: TrialContext; error?: string } | undefined;
// Messages are handled one after another: a trial never starts before its search's setup is done.
let chain: Promise<void> = Promise.resolve();

parentPort!.on("message", (m: PoolMessage) => {
  // A message that fails is answered, never the end of the chain: a trial waited for must get its result.
  chain = chain.then(() => handle(m)).catch((e: unknown) => {
    if (m.type === "trial") parentPort!.postMessage({ type: "result", id: m.id, result: { candidate: m.trial.candidate, fold: m.trial.fold, error: e instanceof Error ? e.message : String(e) } });
  });
});

async function handle(m: PoolMessage): Promise<void> {
  if (m.type === "search") {
    const s = m.setup;
    current = { id: m.id };
    try {
      // The calling thread's backend, so that a trial scores the same here as there.
      if (tf.getBackend() !== s.backend && !(await tf.setBackend(s.backend))) throw new Error(`the ${s.backend} backend did not start on this thread`);
      // A view of the shared bytes: the table crossed once per search, without a copy per thread.
      const table = aq.fromArrow(new Uint8Array(s.ipc));
      const opts = s.opts as unknown as SearchOptions;
      const scoring = opts.scoring ?? (s.classifier ? "accuracy" : "r2");
      current.ctx = { verb: s.verb, folds: searchFolds(table, opts.target, s.classifier, s.k, s.seed), fit: fitter(opts, s.seed, s.verb), scoring, opts };
    } catch (e) {
      current.error = e instanceof Error ? e.message : String(e);
    }
  } else if (m.type === "trial") {
    const t = m.trial;
    let result: TrialResult;
    if (current?.id !== m.id) result = { candidate: t.candidate, fold: t.fold, error: "the worker thread has no data for this search" };
    else if (!current.ctx) result = { candidate: t.candidate, fold: t.fold, error: current.error ?? "search setup failed" };
    else {
      result = await runTrial(current.ctx, t);
      // The message crosses threads; the error object's class would not.
      if ("cause" in result) delete result.cause;
    }
    parentPort!.postMessage({ type: "result", id: m.id, result });
  } else if (m.type === "end") {
    // Drop the search's table and folds; the thread stays warm for the next search.
    if (current?.id === m.id) current = undefined;
  }
}

parentPort!.postMessage({ type: "ready" });
