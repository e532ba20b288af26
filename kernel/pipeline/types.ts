// Types shared by exported pipeline scripts, the stage runner and the exporter: the pipeline table and the lock file.

/** What a stage function receives: its inputs from other stages and the params it reads, by name. */
export type StageArgs = Record<string, any>;

/** One stage of an exported pipeline. */
export interface PipelineStage {
  name: string;
  /** The stage's code; returns every name in `outputs`. */
  run: (args: StageArgs) => Promise<Record<string, unknown>>;
  /** 1-based cell of the stage in the notebook. */
  cell: number;
  /** The seed the stage's generator is derived from (with its name), as in the kernel. */
  seed: number;
  /** The kernel's hash of the cell's code: runs recorded by the script match the notebook's cache. */
  codeHash: string;
  /** Input name -> the stage defining it. */
  inputs: Record<string, string>;
  /** Notebook params the stage reads. */
  params: string[];
  outputs: string[];
  /** The outputs that are stored and hashed (variables; functions and classes are code). */
  tracked: string[];
  /** Extra stages that must run first (`--needs`). */
  needs: string[];
  /** `--gate` thresholds on the stage's logged metrics, e.g. "f1>=0.8". */
  gates: string[];
}

/** An exported pipeline: the `pipeline` constant of a script. */
export interface Pipeline {
  notebook: string;
  mlnb: string;
  params: Record<string, unknown>;
  stages: PipelineStage[];
}

/** One input file in the lock. */
export interface LockInput {
  /** Relative to the notebook's folder (as the notebook's code wrote it, normalised). */
  path: string;
  sha256: string;
  bytes: number;
  /** Stages that read it. */
  stages: string[];
}

/** The expected result of one output. Opaque outputs have no hash and are not verified. */
export interface LockOutput {
  kind: string;
  shape?: string;
  hash?: string;
  reason?: string;
}

export interface LockStage {
  codeHash: string;
  seed: number;
  cell: number;
  /** Output name -> expected hash; absent when the notebook's last run has no execution of this code. */
  outputs?: Record<string, LockOutput>;
  metrics?: Record<string, number>;
  /** Why `outputs` is absent. */
  unverifiable?: string;
}

/** `NB.pipeline.lock.json`: what the script needs to prove it reproduces the notebook. */
export interface PipelineLock {
  lockVersion: 1;
  notebook: string;
  /** The notebook's folder relative to the lock's folder ("." when the script sits beside it). */
  notebookDir: string;
  /** The run the expected hashes come from. */
  run?: { id: number; startedAt: string; source: string };
  seed: number;
  params: Record<string, unknown>;
  versions: Record<string, string>;
  inputs: LockInput[];
  stages: Record<string, LockStage>;
}

/** The lock file name of a script ("penguins.pipeline.ts" -> "penguins.pipeline.lock.json"). */
export function lockNameFor(scriptName: string): string {
  return scriptName.replace(/\.(ts|mts|js|mjs)$/, "") + ".lock.json";
}
