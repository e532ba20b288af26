// Tests of run store garbage collection: which runs stay, and that no blob a kept or concurrent run needs is ever deleted.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { createCodecRegistry, type Encoding } from "../../../../kernel/stages/codecs/index.js";
import { codeHash, paramsHash } from "../../../../kernel/stages/cacheKey.js";
import { collectGarbage } from "../../../../kernel/stages/store/gc.js";
import { openStore, type RunStore } from "../../../../kernel/stages/store/index.js";

const codecs = createCodecRegistry();
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const folder = () => {
  const d = mkdtempSync(join(tmpdir(), "mlnb-gc-"));
  dirs.push(d);
  return d;
};
const CODE = codeHash("const numbers = make(n);");
const PARAMS = paramsHash({});

/** One run of notebook `nb` recording stage "numbers" with `value` (ended ok unless `open`). */
async function runWith(store: RunStore, nb: string, value: unknown, over: { cachedFrom?: number; open?: boolean } = {}) {
  const runId = store.beginRun({ notebook: nb });
  const encoded: Record<string, Encoding> = { numbers: await codecs.encode(value) };
  const hit = over.cachedFrom === undefined ? undefined : store.getRun(store.listRuns().find((r) => store.getRun(r.id)!.stageRuns.some((s) => s.id === over.cachedFrom))!.id)!.stageRuns.find((s) => s.id === over.cachedFrom)!;
  const { stageRunId, outputs } = store.recordStageRun({
    runId,
    stage: "numbers",
    codeHash: CODE,
    paramsHash: PARAMS,
    seed: JSON.stringify(value).length,
    outputs: hit ? Object.fromEntries(hit.outputs.map((o) => [o.name, o])) : encoded,
    status: hit ? "cached" : "ok",
    durationMs: 5,
    ...(hit ? { cachedFrom: hit.id } : {}),
  });
  if (!over.open) store.endRun(runId, "ok");
  return { runId, stageRunId, blob: outputs[0]!.parts[0]!.hash };
}

/** The bytes of a value's one stored part. */
async function bytesOf(value: unknown): Promise<Uint8Array> {
  return ((await codecs.encode(value)) as { parts: { bytes: Uint8Array }[] }).parts[0]!.bytes;
}

/** Make every blob look written an hour ago. */
function ageBlobs(store: RunStore): void {
  const hourAgo = (Date.now() - 3600_000) / 1000;
  for (const b of store.blobs.list!()) utimesSync(join(store.blobs.dir, b.hash.slice(0, 2), b.hash.slice(2)), hourAgo, hourAgo);
}

test("keeps the newest runs of each notebook, its newest successful run, running runs and the runs kept cached stages came from", async () => {
  const store = openStore({ dir: folder(), codecs });
  try {
    const source = await runWith(store, "a.mlnb", [1]);
    const okOld = await runWith(store, "b.mlnb", [2]);
    const failed = store.beginRun({ notebook: "b.mlnb" });
    store.endRun(failed, "error");
    const old = await runWith(store, "a.mlnb", [4]);
    const running = await runWith(store, "a.mlnb", [3], { open: true });
    const newest = await runWith(store, "a.mlnb", [5]);
    const cached = await runWith(store, "a.mlnb", [1], { cachedFrom: source.stageRunId });
    const r = collectGarbage(store, { keep: 2, dryRun: true, graceMs: 0 });
    assert.deepEqual(
      r.kept.map((k) => [k.id, k.because]).sort((x, y) => Number(x[0]) - Number(y[0])),
      [
        [source.runId, "cache source"],
        [okOld.runId, "newest"],
        [failed, "newest"],
        [running.runId, "running"],
        [newest.runId, "newest"],
        [cached.runId, "newest"],
      ],
    );
    assert.deepEqual(r.removed.map((x) => x.id), [old.runId]);
    const onlyB = collectGarbage(store, { keep: 0, dryRun: true, graceMs: 0 });
    assert.ok(onlyB.kept.some((k) => k.id === okOld.runId && k.because === "newest ok"), "with --keep 0 a notebook still keeps its newest successful run");
  } finally {
    store.close();
  }
});

test("never deletes a blob written or used after gc started: the same bytes written again, a fresh blob, a cache hit's blobs", async () => {
  const store = openStore({ dir: folder(), codecs });
  try {
    const rewritten = await runWith(store, "a.mlnb", ["rewritten"]);
    const hitOld = await runWith(store, "a.mlnb", ["hit"]);
    const gone = await runWith(store, "a.mlnb", ["gone"]);
    await runWith(store, "a.mlnb", ["kept"]);
    ageBlobs(store);
    const started = Date.now() - 50;
    // a concurrent run: computes the same value again (its blob exists: put only marks it used),
    // writes a new one it has not recorded yet, and hits the cache on a run gc is about to delete
    store.blobs.put(await bytesOf(["rewritten"]));
    const fresh = store.blobs.put(new TextEncoder().encode("not recorded yet"));
    const hit = store.findCached("numbers", CODE, PARAMS, JSON.stringify(["hit"]).length, {});
    assert.equal(hit?.stageRunId, hitOld.stageRunId);
    const r = collectGarbage(store, { keep: 1, graceMs: 0, now: started });
    assert.deepEqual(r.removed.map((x) => x.id), [rewritten.runId, hitOld.runId, gone.runId]);
    assert.equal(r.blobsRemoved, 1, "only the blob nobody wrote or used since");
    assert.equal(store.blobs.has(gone.blob), false);
    for (const h of [rewritten.blob, hitOld.blob, fresh]) assert.equal(store.blobs.has(h), true);
    // the concurrent run records its cache restore: the source run is gone, the blobs are not
    const runId = store.beginRun({ notebook: "a.mlnb" });
    const { stageRunId } = store.recordStageRun({ runId, stage: "numbers", codeHash: CODE, paramsHash: PARAMS, seed: 0, outputs: Object.fromEntries(hit!.outputs.map((o) => [o.name, o])), status: "cached", durationMs: 0, cachedFrom: hit!.stageRunId });
    const recorded = store.getRun(runId)!.stageRuns.find((s) => s.id === stageRunId)!;
    assert.equal(recorded.cachedFrom, undefined, "its source was collected: recorded as unknown");
    assert.deepEqual(await store.loadOutputs(recorded.outputs), { numbers: ["hit"] });
  } finally {
    store.close();
  }
});

test("a kill between deleting the records and the blobs leaves every kept run whole, and the next gc frees the rest", async () => {
  const dir = folder();
  let store = openStore({ dir, codecs });
  const old = await runWith(store, "a.mlnb", ["old"]);
  const kept = await runWith(store, "a.mlnb", ["kept"]);
  ageBlobs(store);
  // what collectGarbage does first, then the process dies before any blob is deleted
  assert.deepEqual(store.deleteRuns([old.runId]), [old.runId]);
  store.close();
  store = openStore({ dir, codecs });
  try {
    const run = store.getRun(kept.runId)!;
    assert.deepEqual(await store.loadOutputs(run.stageRuns[0]!.outputs), { numbers: ["kept"] });
    assert.equal(store.blobs.has(old.blob), true, "the unreferenced blob is still there after the kill");
    const r = collectGarbage(store, { keep: 1, graceMs: 0 });
    assert.deepEqual(r.removed, []);
    assert.equal(r.blobsRemoved, 1);
    assert.equal(r.bytesFreed, (await bytesOf(["old"])).byteLength);
    assert.equal(store.blobs.has(old.blob), false);
    assert.equal(store.blobs.has(kept.blob), true);
  } finally {
    store.close();
  }
});
