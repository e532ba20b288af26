// Trials on the calling thread and the warm pool: identical results for any thread count, dealing, interrupt, idle pool.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { tune, type SearchOptions, type SearchResult } from "../../../../kernel/ml/tune/index.js";
import { closePool, lease, poolSize, release, warmPool, warmWorkers } from "../../../../kernel/ml/tune/pool.js";
import { runTrials, sharedTableBytes, type PoolMessage, type TrialSetup } from "../../../../kernel/ml/tune/trials.js";
import { fitter, searchFolds, type Trial } from "../../../../kernel/ml/tune/fit.js";
import { createLibraryCodecs } from "../../../../kernel/stages/libraryCodecs.js";
import { isEncoded } from "../../../../kernel/stages/codecs/index.js";
import type { Model } from "../../../../kernel/ml/train/trained.js";
import { backendName } from "../../../../kernel/ml/tf.js";
import { withContext, type RunContext } from "../../../../kernel/ml/context.js";
import { train } from "../../../../kernel/ml/train/index.js";
import { blobs, linear, recordingContext } from "../train/data.js";

const cores = availableParallelism();

/** Run a search in a recording context; returns its result and the last progress line. */
async function traced(fn: () => Promise<SearchResult>, ctx: RunContext & { shown: { data: Record<string, unknown> }[] } = recordingContext()): Promise<{ r: SearchResult; last: string }> {
  const r = await withContext(ctx, fn);
  return { r, last: String(ctx.shown.at(-1)?.data["text/plain"] ?? "") };
}

/** Fits per thread from the search's last line ([] when it ran on the calling thread only). */
function fitsPerThread(last: string): number[] {
  const m = /fits per thread: ([\d, ]+);/.exec(last);
  return m ? m[1]!.split(", ").map(Number) : [];
}

describe("tune trials on the pool", () => {
  before(async () => { await train.ready(); await closePool(); });
  after(() => closePool());

  it("gives bit-identical scores and best params for workers 1, 2 and the core count, pool cold and warm", async () => {
    const noisy = blobs(150, 9).derive({ x1: (d: { x1: number; x2: number }) => d.x1 * 0.25 + d.x2 });
    const grid = { layers: [[4], [8, 4]], learningRate: [0.05, 0.01] };
    const opts = (workers: number): SearchOptions => ({ model: "mlpClassifier", target: "label", base: { epochs: 6 }, folds: 3, scoring: "logLoss", positive: "right", seed: 7, refit: false, workers });
    const one = await traced(() => tune.gridSearch(noisy, grid, opts(1)));
    assert.deepEqual(fitsPerThread(one.last), []);
    assert.equal(poolSize(), 0);
    const cold = await traced(() => tune.gridSearch(noisy, grid, opts(2)));
    // under load the cold thread may still be starting when the first search ends
    await warmPool(1);
    const warm = await traced(() => tune.gridSearch(noisy, grid, opts(2)));
    const all = await traced(() => tune.gridSearch(noisy, grid, opts(cores)));
    for (const other of [cold, warm, all]) {
      assert.deepEqual(other.r.results.objects(), one.r.results.objects());
      assert.deepEqual(other.r.bestParams, one.r.bestParams);
      assert.ok(Object.is(other.r.bestScore, one.r.bestScore));
    }
    // logLoss differs per candidate: the comparison above is of real, distinct floats
    assert.equal(new Set(one.r.results.array("mean_test_score") as number[]).size, 4);
    // the warm search started with its pool thread ready: it fitted some of the 12 trials
    const [here, pool] = fitsPerThread(warm.last);
    assert.equal(here! + pool!, 12);
    assert.ok(pool! >= 1, warm.last);
  });

  it("gives the sequential scores in a random search of a regressor on pool threads", async () => {
    await warmPool(1);
    const space = { learningRate: { logUniform: [0.001, 0.05] as [number, number] }, layers: [[4], [6]] };
    const opts = (workers: number): SearchOptions => ({ model: "mlpRegressor", target: "y", base: { epochs: 5 }, folds: 2, seed: 3, refit: false, workers });
    const one = await tune.randomSearch(linear(120), space, 4, opts(1));
    const two = await traced(() => tune.randomSearch(linear(120), space, 4, opts(2)));
    assert.deepEqual(two.r.results.objects(), one.results.objects());
    assert.ok(fitsPerThread(two.last)[1]! >= 1, two.last);
  });

  it("gives bit-identical scores, best params and refitted bestModel hash for workers 1, 2 and the default (the core count)", async () => {
    // the registry the kernel and exported scripts hash stage outputs with
    const codecs = createLibraryCodecs();
    const hashOf = async (m: Model | undefined): Promise<string> => {
      const e = await codecs.encode(m);
      assert.ok(isEncoded(e) && e.kind === "mlnb-model", "bestModel is a stored trained Model");
      return e.hash;
    };
    const grid = { layers: [[6], [8, 4]], learningRate: [0.05, 0.01] };
    const opts = (workers?: number): SearchOptions => ({ model: "mlpClassifier", target: "label", base: { epochs: 6, dropout: 0.1 }, folds: 3, scoring: "logLoss", positive: "right", seed: 11, ...(workers ? { workers } : {}) });
    const data = blobs(150, 5).derive({ x1: (d: { x1: number; x2: number }) => d.x1 * 0.3 + d.x2 });
    const one = await traced(() => tune.gridSearch(data, grid, opts(1)));
    const oneHash = await hashOf(one.r.bestModel);
    // the default search leases the warm thread; a cold pool would wait for a long search (see the next test)
    await warmPool(1);
    const two = await traced(() => tune.gridSearch(data, grid, opts(2)));
    await warmPool(Math.max(1, cores - 1));
    const byDefault = await traced(() => tune.gridSearch(data, grid, opts()));
    for (const other of [two, byDefault]) {
      assert.deepEqual(other.r.results.objects(), one.r.results.objects());
      assert.deepEqual(other.r.bestParams, one.r.bestParams);
      assert.ok(Object.is(other.r.bestScore, one.r.bestScore));
      assert.equal(await hashOf(other.r.bestModel), oneHash);
    }
    assert.equal(new Set(one.r.results.array("mean_test_score") as number[]).size, 4);
    // the calling thread fitted fewer trials than in the sequential run, so it built fewer models before the refit
    assert.deepEqual(fitsPerThread(one.last), []);
    assert.ok(fitsPerThread(two.last)[1]! >= 1, two.last);
    if (cores > 1) {
      assert.equal(fitsPerThread(byDefault.last).length, Math.min(cores, 12), byDefault.last);
      assert.ok(fitsPerThread(byDefault.last)[1]! >= 1, byDefault.last);
    }
    assert.match(byDefault.last, /best logLoss [\d.]+ with/);
    for (const x of [one, two, byDefault]) x.r.bestModel!.dispose();
  });

  it("keeps a small search on the calling thread by default when no pool thread is warm, and uses warm ones", { skip: cores < 2 && "one core: the default is one thread" }, async () => {
    await closePool();
    const small = (): Promise<SearchResult> => tune.gridSearch(blobs(40, 1), { learningRate: [0.05, 0.01] }, { model: "logisticRegression", target: "label", base: { epochs: 2 }, folds: 2, seed: 1, refit: false });
    const cold = await traced(small);
    assert.equal(poolSize(), 0, "no cold thread started for 4 short fits");
    assert.deepEqual(fitsPerThread(cold.last), []);
    await warmPool(1);
    const warm = await traced(small);
    assert.equal(fitsPerThread(warm.last).length, 2, warm.last);
    assert.deepEqual(warm.r.results.objects(), cold.r.results.objects());
  });

  it("starts cold pool threads once the calling thread's fits predict more sequential work than the threshold", { skip: cores < 2 && "one core: the default is one thread" }, async () => {
    const table = blobs(60, 3);
    const opts: SearchOptions = { model: "logisticRegression", target: "label", base: { epochs: 3 }, folds: 3, scoring: "accuracy" };
    const folds = searchFolds(table, "label", true, 3, 2);
    const ctx = { verb: "tune.gridSearch", folds, fit: fitter(opts, 2, "tune.gridSearch"), scoring: "accuracy" as const, opts };
    const setup = (): TrialSetup => ({ verb: "tune.gridSearch", ipc: sharedTableBytes(table), opts: { ...opts }, seed: 2, classifier: true, k: 3, backend: backendName()! });
    const trials: Trial[] = [0.1, 0.05, 0.02, 0.01].flatMap((learningRate, candidate) => [0, 1, 2].map((fold) => ({ candidate, params: { learningRate }, fold })));
    await closePool();
    const patient = await runTrials(ctx, setup, trials, { threads: 2, coldStartAfterMs: 1e9 });
    assert.deepEqual(patient.fitsPerThread, [12], "no fit predicts 1e9 ms of work: the search stayed on the calling thread");
    assert.equal(poolSize(), 0);
    // 1 ms: the first fit (several ms) times 11 trials left crosses it, and a cold thread starts at once
    const eager = await runTrials(ctx, setup, trials, { threads: 2, coldStartAfterMs: 1 });
    assert.equal(poolSize(), 1, "one cold thread was started after the first fit");
    assert.equal(eager.fitsPerThread.length, 2);
    assert.equal(eager.fitsPerThread[0]! + eager.fitsPerThread[1]!, 12);
    assert.deepEqual(eager.results.map((r) => r && "score" in r && r.score), patient.results.map((r) => r && "score" in r && r.score));
  });

  it("finishes at once with no results for an empty list of trials, and runs every trial on the calling thread when the table cannot be sent to a thread", async () => {
    const table = blobs(40, 5);
    const opts: SearchOptions = { model: "logisticRegression", target: "label", base: { epochs: 2 }, folds: 2, scoring: "accuracy" };
    const ctx = { verb: "tune.gridSearch", folds: searchFolds(table, "label", true, 2, 2), fit: fitter(opts, 2, "tune.gridSearch"), scoring: "accuracy" as const, opts };
    const unsendable = (): TrialSetup => {
      throw new Error("Mixed types detected, please define a union type.");
    };
    assert.deepEqual(await runTrials(ctx, unsendable, [], { threads: 2 }), { results: [], fitsPerThread: [0] });
    await warmPool(1);
    const trials: Trial[] = [0.1, 0.01].flatMap((learningRate, candidate) => [0, 1].map((fold) => ({ candidate, params: { learningRate }, fold })));
    const r = await runTrials(ctx, unsendable, trials, { threads: 2 });
    assert.equal(r.fitsPerThread[0], 4, `fits per thread: ${r.fitsPerThread.join(", ")}`);
    assert.ok(r.results.every((x) => x && "score" in x), JSON.stringify(r.results));
  });

  it("stops a search when its run is interrupted, ending the pool thread that was fitting", async () => {
    await warmPool(1);
    assert.equal(poolSize(), 1);
    const abort = new AbortController();
    const ctx = { ...recordingContext(), signal: abort.signal };
    let shown = 0;
    ctx.display = () => {
      if (++shown === 1) setImmediate(() => abort.abort(new Error("Interrupted by the user")));
    };
    const search = withContext(ctx, () => tune.gridSearch(blobs(300, 4), { layers: [[8], [16], [8, 8]], learningRate: [0.05, 0.01, 0.003] }, { model: "mlpClassifier", target: "label", base: { epochs: 20 }, folds: 3, seed: 1, refit: false, workers: 2 }));
    await assert.rejects(search, /Interrupted by the user/);
    // 27 trials: the search stopped after the first, with the pool thread busy on another
    assert.ok(shown < 27, `${shown} progress lines`);
    assert.equal(poolSize(), 0);
    const after = shown;
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(shown, after, "no progress after the interrupt");
  });

  it("keeps the DataLeakageError of a trial on the calling thread, naming the candidate", async () => {
    const { split } = await import("../../../../kernel/ml/split/index.js");
    const t = blobs(60);
    split.trainTestSplit(t, { seed: 4 });
    await assert.rejects(
      tune.gridSearch(t, { learningRate: [0.01] }, { model: "logisticRegression", target: "label", folds: 2, base: { epochs: 1 }, seed: 1, workers: 2 }),
      (e: Error) => e.name === "DataLeakageError" && /^tune\.gridSearch: candidate 1 \{"learningRate":0\.01\}, fold 1: train\.logisticRegression was fitted/.test(e.message),
    );
  });

  it("answers a failing trial on a pool thread with its message, and the thread stays in the pool", async () => {
    await warmPool(1);
    const [w] = lease(1);
    try {
      const setup = { verb: "tune.gridSearch", ipc: sharedTableBytes(blobs(40, 1)), opts: { model: "logisticRegression", target: "label", scoring: "accuracy" }, seed: 1, classifier: true, k: 2, backend: backendName()! };
      const answer = new Promise<{ result: Record<string, unknown> }>((resolve) => w!.worker.once("message", resolve));
      w!.worker.postMessage({ type: "search", id: 900, setup } satisfies PoolMessage);
      w!.worker.postMessage({ type: "trial", id: 900, trial: { candidate: 3, params: { learningRate: -1 }, fold: 1 } } satisfies PoolMessage);
      const { result } = await answer;
      assert.equal(result.candidate, 3);
      assert.equal(result.fold, 1);
      assert.match(String(result.error), /learningRate must be > 0/);
      assert.equal("cause" in result, false);
    } finally {
      release([w!]);
    }
    assert.equal(warmWorkers(), 1);
  });

  it("lets a process with a warm pool exit on its own (idle threads are unref'd)", () => {
    const search = fileURLToPath(new URL("../../../../kernel/ml/tune/index.js", import.meta.url));
    const data = fileURLToPath(new URL("../train/data.js", import.meta.url));
    const pool = fileURLToPath(new URL("../../../../kernel/ml/tune/pool.js", import.meta.url));
    const script = `
      const { tune } = await import(${JSON.stringify(search)});
      const { blobs } = await import(${JSON.stringify(data)});
      const { warmPool, warmWorkers } = await import(${JSON.stringify(pool)});
      await warmPool(1);
      console.log("warm", warmWorkers());
      const r = await tune.gridSearch(blobs(60, 2), { learningRate: [0.05, 0.01] }, { model: "logisticRegression", target: "label", folds: 2, base: { epochs: 2 }, seed: 1, refit: false, workers: 2 });
      console.log("ranked", r.results.numRows());`;
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 120_000 });
    assert.equal(child.signal, null, `killed after 120 s: the pool kept the process alive\n${child.stderr}`);
    assert.equal(child.status, 0, child.stderr);
    assert.match(child.stdout, /^warm 1\n[^]*fits per thread: \d+, [1-9]\d*;[^]*\nranked 2\n$/);
  });
});
