// Records of the run store: what is written per stage run and what queries return.
import type { Encoding, Json } from "../codecs/types.js";

/** A part of a stored value: its name in the value, the blob holding it, its size. */
export interface StoredPart {
  name: string;
  hash: string;
  size: number;
}

/** A stage output as recorded (opaque outputs have a reason and no hash). */
export interface OutputRecord {
  name: string;
  kind: string;
  shape: string;
  hash?: string;
  reason?: string;
  meta: { [key: string]: Json };
  parts: StoredPart[];
  size: number;
  /**
   * The blob of the value's sidecar (canonical JSON the codec gets back on decode, e.g. a
   * table's lineage); not part of `hash`. Absent when the codec gave none or the output was
   * stored before schema v2.
   */
  sidecar?: { hash: string; size: number };
}

export interface StageRunInput {
  name: string;
  hash: string;
  fromStage?: string;
  fromStageRunId?: number;
}

export interface Metric {
  name: string;
  value: number;
  step?: number;
}

/** A display output a stage showed (the last state of one updated in place), or its result. */
export interface RecordedDisplay {
  data: { [mime: string]: Json };
  /** The cell's result (its last expression) rather than a `display` call. */
  result?: boolean;
}

export type StageRunStatus = "ok" | "error" | "cached";

/** Everything recorded about one stage execution (`recordStageRun`). */
export interface StageRunRecord {
  runId: number;
  stage: string;
  codeHash: string;
  paramsHash: string;
  seed: number;
  inputs?: StageRunInput[];
  /** Output name -> its encoding (blobs are written) or an already stored output (a cache restore). */
  outputs: Record<string, Encoding | OutputRecord>;
  status: StageRunStatus;
  error?: string;
  /** Epoch ms; defaults to the store's clock minus the duration. */
  startedAt?: number;
  durationMs: number;
  /** Notebook params the stage read, with their values. */
  params?: Record<string, unknown>;
  /** Params the stage logged with `log.param`. */
  loggedParams?: Record<string, unknown>;
  metrics?: Metric[];
  /** For status "cached": the stage run the outputs were restored from. */
  cachedFrom?: number;
  /** What the stage showed, replayed on a cache hit (see `stages/displays.ts`). */
  displays?: RecordedDisplay[];
  /** The type declarations its code made (name, text), re-learned on a hit without a type check. */
  declarations?: [string, string][];
}

/** A stored successful execution that matches a cache key. */
export interface CacheHit {
  stageRunId: number;
  runId: number;
  stage: string;
  /** Epoch ms when the original execution started. */
  startedAt: number;
  /** How long the original execution took: the time a restore saves. */
  durationMs: number;
  outputs: OutputRecord[];
  metrics: Metric[];
  loggedParams: Record<string, unknown>;
  /** What the original execution showed (empty for runs recorded before schema v3). */
  displays: RecordedDisplay[];
  /** The type declarations the original execution's code made, if recorded. */
  declarations?: [string, string][];
}

/** "aborted": the process recording the run died before ending it (found when the store opens). */
export type RunStatus = "running" | "ok" | "error" | "interrupted" | "aborted";

export interface RunSummary {
  id: number;
  notebook: string;
  startedAt: number;
  endedAt?: number;
  status: RunStatus;
  seed?: number;
  source: string;
  /** Notebook params of the run (the `%%params` values, with overrides). */
  params: Record<string, unknown>;
  /** Last value of each metric logged in the run (by metric name). */
  metrics: Record<string, number>;
  stages: number;
  cached: number;
  failed: number;
}

export interface StageRunDetail {
  id: number;
  stage: string;
  status: StageRunStatus;
  codeHash: string;
  paramsHash: string;
  seed: number;
  inputsHash: string;
  startedAt: number;
  durationMs: number;
  error?: string;
  cachedFrom?: number;
  inputs: StageRunInput[];
  outputs: OutputRecord[];
  metrics: Metric[];
  params: Record<string, unknown>;
  loggedParams: Record<string, unknown>;
}

export interface RunDetail extends RunSummary {
  /** Stage executions in the order they happened. */
  stageRuns: StageRunDetail[];
}
