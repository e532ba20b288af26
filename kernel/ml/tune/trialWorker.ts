// A tune worker thread: rebuilds the search's seeded folds from the table it was given and answers one trial per message.
import * as aq from "arquero";
import { parentPort, workerData } from "node:worker_threads";
import { split } from "../split/index.js";
import { fitter, scoreOf, type SearchOptions } from "./search.js";
import type { Trial, TrialResult, TrialSetup } from "./trials.js";

const setup = workerData as TrialSetup;
const table = aq.fromArrow(setup.ipc);
const opts = setup.opts as unknown as SearchOptions;
const folds = setup.classifier
  ? split.stratifiedKFold(table, opts.target, { k: setup.k, shuffle: true, seed: setup.seed })
  : split.kFold(table, { k: setup.k, shuffle: true, seed: setup.seed });
const fit = fitter(opts, setup.seed, setup.verb);

parentPort!.on("message", async (t: Trial) => {
  let result: TrialResult;
  try {
    const fold = folds[t.fold]!;
    const t0 = performance.now();
    const model = await fit(fold.train, t.params);
    const ms = performance.now() - t0;
    try {
      result = { candidate: t.candidate, fold: t.fold, score: scoreOf(opts.scoring ?? (setup.classifier ? "accuracy" : "r2"), model, fold.test, opts, setup.verb), ms };
    } finally {
      model.dispose();
    }
  } catch (e) {
    result = { candidate: t.candidate, fold: t.fold, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(result);
});
