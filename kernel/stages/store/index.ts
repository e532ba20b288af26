// The run store: runs, stage executions, cache lookup and history (see store.ts).
export { openStore, storeDirFor, storeFromEnv, resolveStoreLocation, notebookKey, type RunStore, type StoreOptions } from "./store.js";
export { createBlobStore, BlobError, type BlobStore } from "./blobs.js";
export { diffRuns, latestStageRuns, metricsOf, type Change, type RunDiff } from "./history.js";
export { SCHEMA_VERSION } from "./schema.js";
export type * from "./types.js";
export { isSharedStore, openSharedStore, type SharedStoreOptions } from "./shared/store.js";
