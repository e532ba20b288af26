// Export a notebook as a pipeline script + lock, and convert to and from Jupyter's .ipynb.
export { exportScript, renderScript, stageFunctionName, type ScriptOptions, type ExportedScript } from "./script.js";
export { planExport, ExportError, DEFAULT_SEED, type ExportPlan, type StagePlan } from "./plan.js";
export { buildLock, type LockData } from "./lock.js";
export { findInputFiles } from "./inputFiles.js";
export { exportNotebookFiles, defaultScriptPath, lastSuccessfulRun, hashInputs, storeDirOf, type ExportResult } from "./files.js";
export { toIpynb, fromIpynb, IpynbError } from "./ipynb.js";
export { argoWorkflow, argoYaml, STORE_SECRET } from "./argo.js";
export { airflowDag, pyLiteral, type AirflowOperator } from "./airflow.js";
export { dockerfile, projectRootOf, DOCKERIGNORE } from "./dockerfile.js";
export { stageTasks, taskCommand, type StageTask, type TaskOptions } from "./tasks.js";
