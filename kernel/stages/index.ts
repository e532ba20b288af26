// Pipeline stage machinery for the kernel: graph, staleness, codecs, run store, cache, views.
export { analyzeCell, bindingNames, type CellNames, type DefKind } from "./defs.js";
export { buildGraph, cellInput, descendants, ancestors, inRunOrder, withUpstream, type CellInput, type StageGraph, type StageNode, type Edge, type GraphDiagnostic } from "./graph.js";
export { markStale, markFinished, staleStages, type StageState, type StageStates } from "./state.js";
export { codeHash, paramsHash, inputsHash } from "./cacheKey.js";
export { stageKey, lookupCache, recordExecution, restoreFromCache, cachedMessage, outputsChanged, trackedOutputs, type StageKey, type ValueSource, type ExecutionResult } from "./cache.js";
export { declarationsOnly } from "./restore.js";
export { replayOf } from "./displays.js";
export { openCellFacts, type CellFacts, type ParamsFacts } from "./facts.js";
export { localCacheDir } from "./store/location.js";
export { formatTime } from "./format.js";
export * from "./codecs/index.js";
export * from "./store/index.js";
export { renderStagesTable, formatDuration, type StageInfo } from "./views/stagesTable.js";
export { renderGraphSvg, STATE_COLORS } from "./views/graphSvg.js";
export { renderWho, type WhoEntry } from "./views/who.js";
export { executeStage, type StageSpec, type StageHost, type StageResult, type BodyResult } from "./executor.js";
