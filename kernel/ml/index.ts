// The mlnb library that notebook cells and exported pipeline scripts import (`from "mlnb"`).
export { log } from "./log.js";
export { context, withContext, setContext, stageRandom, type RunContext } from "./context.js";
export { DataLeakageError, lineageOf, checkLeakage, checkTransform, setLeakageMode, leakageWarnings, ensureLineage, describeLineage, type Lineage, type PartitionTag } from "./lineage.js";
export { split } from "./split/index.js";
export * as prep from "./prep/index.js";
export { display, richBundle, MIME_BUNDLE } from "./display.js";
export { train, Model } from "./train/index.js";
export { evaluate, GateError } from "./evaluate/index.js";
export * as drift from "./drift/index.js";
export * as deploy from "./deploy/index.js";
export { tune } from "./tune/index.js";
export { read, inputsRead, resetInputs, ReadError, type InputRead } from "./read/index.js";
export * as features from "./features/index.js";
