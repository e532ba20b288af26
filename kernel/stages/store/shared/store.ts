// The shared run store: run records in PostgreSQL, blobs under an artifact root (a shared folder or s3://), for many processes at once.
import { createCodecRegistry, type CodecRegistry } from "../../codecs/registry.js";
import { sha256 } from "../../codecs/hash.js";
import { concatChunks } from "../../codecs/chunks.js";
import { hostname } from "node:os";
import { inputsHash } from "../../keys.js";
import { deadRuns } from "../aborted.js";
import { stageRunColumns } from "../rows.js";
import { BlobError, createBlobStore, type BlobStore } from "../blobs.js";
import { decodeOutputs, outputRestorable, storeOutput } from "../outputs.js";
import type { RunStore } from "../store.js";
import type { CacheHit, RunDetail, RunSummary } from "../types.js";
import { startBridge, type SyncBridge } from "./bridge.js";

/** True for a store location that names a shared store (`postgres://` or `postgresql://`). */
import { isSharedStore, redact } from "../location.js";
export { isSharedStore };

export interface SharedStoreOptions {
  /** The PostgreSQL connection URL of the run records. */
  url: string;
  /** The artifact root: a folder every process sees, or `s3://bucket/prefix`; default MLNB_ARTIFACTS. */
  artifacts?: string;
  codecs?: CodecRegistry;
  clock?: () => number;
}

const HASH = /^[0-9a-f]{64}$/;


/** Blobs in S3 behind the bridge; the same contract as the folder blob store. */
function s3Blobs(bridge: SyncBridge, root: string): BlobStore {
  const check = (hash: string) => {
    if (!HASH.test(hash)) throw new BlobError(`not a blob hash: "${hash}"`, hash);
  };
  return {
    dir: root,
    put(bytes, hash) {
      // A hash given is of bytes that may be stored already (a stage output's parts are written, then recorded): no second upload.
      if (hash !== undefined && HASH.test(hash) && bridge.call<number>("s3Head", hash) >= 0) return hash;
      // Made whole once (lazy pieces are made as they are read), then hashed and sent.
      const whole = bytes instanceof Uint8Array ? bytes : concatChunks(bytes);
      const key = hash ?? sha256(whole);
      check(key);
      bridge.call("s3Put", key, whole);
      return key;
    },
    // one conditional put of the hashed bytes: nothing to overlap the hashing with
    async write(pieces) {
      return this.put(pieces);
    },
    get(hash, verify = true) {
      check(hash);
      const bytes = bridge.call<Uint8Array | undefined>("s3Get", hash);
      if (!bytes) throw new BlobError(`blob ${hash.slice(0, 12)} is missing from ${root}`, hash);
      if (verify && sha256(bytes) !== hash) throw new BlobError(`blob ${hash.slice(0, 12)} is corrupt (its content does not match its hash)`, hash);
      return bytes;
    },
    has: (hash) => HASH.test(hash) && bridge.call<number>("s3Head", hash) >= 0,
    // S3 keeps no use time of its own; gc does not sweep S3 (no list/remove here)
    touch: (hash) => HASH.test(hash) && bridge.call<number>("s3Head", hash) >= 0,
    size(hash) {
      check(hash);
      const n = bridge.call<number>("s3Head", hash);
      if (n < 0) throw new BlobError(`blob ${hash.slice(0, 12)} is missing from ${root}`, hash);
      return n;
    },
    // Conditional puts leave no partial objects behind.
    sweepTemp: () => 0,
  };
}

/**
 * Open a shared store. Every write is idempotent or transactional: blobs are content-addressed
 * and appear whole (temp file + rename in a folder, a conditional put in S3) before the one
 * transaction that records the stage run refers to them, so processes on many machines can run
 * stages against one store at once and a crash never leaves a record pointing at nothing.
 */
export function openSharedStore(options: SharedStoreOptions): RunStore {
  const { url } = options;
  const artifacts = options.artifacts ?? process.env.MLNB_ARTIFACTS;
  if (!artifacts) throw new Error(`run store ${redact(url)}: a shared store keeps its blobs under an artifact root: set MLNB_ARTIFACTS to a folder every process sees or to s3://bucket/prefix`);
  const clock = options.clock ?? Date.now;
  const codecs = options.codecs ?? createCodecRegistry();
  const bridge = startBridge(new URL("./worker.js", import.meta.url), { url, artifacts });
  try {
    bridge.call("open");
    // runs of this host whose process died were killed: aborted (the embedded store does the same on open)
    bridge.call("markAborted", deadRuns(bridge.call<{ id: number; pid: number }[]>("runningRuns", hostname())), clock());
  } catch (e) {
    bridge.close();
    throw e;
  }
  const blobs = artifacts.startsWith("s3://") ? s3Blobs(bridge, artifacts) : createBlobStore(artifacts);

  return {
    dir: url,
    blobs,
    beginRun: (run) => bridge.call<number>("beginRun", run, clock(), process.pid, hostname()),
    endRun: (runId, status) => bridge.call("endRun", runId, status, clock()),
    recordStageRun(r) {
      const outputs = Object.entries(r.outputs).map(([name, v]) => storeOutput(blobs, name, v));
      // the rows only: the encoded values' bytes are in blobs already, not worth copying to the worker
      const rows = { runId: r.runId, inputs: r.inputs, metrics: r.metrics, params: r.params, loggedParams: r.loggedParams };
      return { stageRunId: bridge.call<number>("writeStageRun", rows, stageRunColumns(r, outputs, clock()), outputs), outputs };
    },
    findCached(stage, codeHash, paramsHash, seed, inputHashes) {
      const candidates = bridge.call<CacheHit[]>("candidates", stage, codeHash, paramsHash, seed, inputsHash(inputHashes));
      return candidates.find((c) => c.outputs.every((o) => outputRestorable(blobs, o)));
    },
    loadOutputs: (outputs) => decodeOutputs(blobs, codecs, outputs),
    listRuns: (options) => bridge.call<RunSummary[]>("listRuns", options ?? {}),
    getRun: (runId) => bridge.call<RunDetail | undefined>("getRun", runId),
    deleteRuns: (runIds) => bridge.call<number[]>("deleteRuns", runIds),
    referencedBlobs: (except) => new Set(bridge.call<string[]>("referencedBlobs", except ?? [])),
    close: () => bridge.close(),
  };
}
