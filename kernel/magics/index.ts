// Cell magics: parse `%%stage`, `%%params`, `%seed`... into typed results (see parse.ts for the rules).
export { parseMagics, isMagic, stageOf, formatDiagnostics, type ParsedCell, type FailedCell } from "./parse.js";
export { createMagicRegistry, defaultMagics, BUILTIN_MAGICS, type MagicRegistry } from "./registry.js";
export { extractParams, applyParamOverrides, substituteParams, typeOfParam, type ParamDef, type ParamType, type ParamValue, type SkippedConst, type OverrideOutcome } from "./paramValues.js";
export { parseGate, passesGate, checkGates } from "./stage.js";
export { splitWords, parseOptions, noArguments } from "./args.js";
export { closest, editDistance } from "./suggest.js";
export type { Gate, MagicArgsMap, MagicDiagnostic, MagicKind, MagicSpec, ParsedMagic, BuiltinMagic, ArgsOutcome } from "./types.js";
