// The stage runner exported pipeline scripts import (`mlnb/pipeline`): run stages as the kernel does and check them against the lock.
export { runPipeline, type RunOptions } from "./run.js";
export { executeStages, type ExecuteOptions, type ExecuteResult } from "./execute.js";
export { selectStages, SelectionError, type Selection } from "./select.js";
export { checkInputs, recordFileReads, type FileRead, type InputProblem } from "./inputs.js";
export { installedVersions, versionChanges, defaultBackend } from "./versions.js";
export { lockNameFor, type Pipeline, type PipelineStage, type StageArgs, type PipelineLock, type LockInput, type LockStage, type LockOutput } from "./types.js";
