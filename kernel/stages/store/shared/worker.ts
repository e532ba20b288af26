// The shared run store's worker thread: serves Postgres run records and S3 blobs to the synchronous store.
import { workerData } from "node:worker_threads";
import { serveBridge } from "./bridge.js";
import { connectRuns, type SharedRuns } from "./pgRuns.js";
import { connectS3 } from "./s3.js";

// mlnb supports Node >= 20.19; the SDK's notice about its future Node 22 floor is not the user's concern (this thread's env only)
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const { url, artifacts } = workerData.init as { url: string; artifacts?: string };
let runs: Promise<SharedRuns> | undefined;
const db = () => (runs ??= connectRuns(url));
const s3 = artifacts?.startsWith("s3://") ? connectS3(artifacts) : undefined;
const bucket = () => {
  if (!s3) throw new Error("no S3 artifact root");
  return s3;
};

serveBridge(workerData, {
  open: async () => void (await db()),
  beginRun: async (...a: Parameters<SharedRuns["beginRun"]>) => (await db()).beginRun(...a),
  endRun: async (...a: Parameters<SharedRuns["endRun"]>) => (await db()).endRun(...a),
  writeStageRun: async (...a: Parameters<SharedRuns["writeStageRun"]>) => (await db()).writeStageRun(...a),
  candidates: async (...a: Parameters<SharedRuns["candidates"]>) => (await db()).candidates(...a),
  listRuns: async (...a: Parameters<SharedRuns["listRuns"]>) => (await db()).listRuns(...a),
  getRun: async (...a: Parameters<SharedRuns["getRun"]>) => (await db()).getRun(...a),
  runningRuns: async (...a: Parameters<SharedRuns["runningRuns"]>) => (await db()).runningRuns(...a),
  markAborted: async (...a: Parameters<SharedRuns["markAborted"]>) => (await db()).markAborted(...a),
  deleteRuns: async (...a: Parameters<SharedRuns["deleteRuns"]>) => (await db()).deleteRuns(...a),
  referencedBlobs: async (...a: Parameters<SharedRuns["referencedBlobs"]>) => (await db()).referencedBlobs(...a),
  s3Head: (hash: string) => bucket().head(hash),
  s3Put: (hash: string, bytes: Uint8Array) => bucket().put(hash, bytes),
  s3Get: (hash: string) => bucket().get(hash),
  close: async () => {
    s3?.close();
    if (runs) await (await runs.catch(() => undefined))?.close();
  },
});
