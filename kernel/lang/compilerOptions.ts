// The compiler options cells are checked with: the nearest tsconfig.json above the notebook, else mlnb's defaults.
import { dirname, join } from "node:path";
import type * as TS from "typescript";
import { PACKAGE_ROOT } from "./paths.js";

export interface NotebookOptions {
  options: TS.CompilerOptions;
  /** The tsconfig.json the options came from, if any. */
  configPath?: string;
  /** Problems reading that tsconfig.json ("tsconfig.json: ..."), for the user; the defaults fill in. */
  problems: string[];
}

/**
 * mlnb's defaults, close to tslab's: not `strict`, since a notebook is exploratory code and an
 * idiom that is correct JavaScript (arquero's union-typed `array()`) should not be flagged; no
 * DOM lib (cells run in Node; @types/node gives fetch, URL, performance).
 */
export function defaultOptions(ts: typeof TS): TS.CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2023.d.ts"],
    strict: false,
    skipLibCheck: true,
    esModuleInterop: true,
    allowSyntheticDefaultImports: true,
    resolveJsonModule: true,
    allowJs: true,
    types: ["node"],
    typeRoots: [join(PACKAGE_ROOT, "node_modules", "@types")],
    ...FORCED(ts),
  };
}

/**
 * Options no tsconfig can change: cells are ES modules with top-level await, checked not emitted,
 * and may import local `.ts` files by their own name as the kernel does.
 */
function FORCED(ts: typeof TS): TS.CompilerOptions {
  return {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    moduleDetection: ts.ModuleDetectionKind.Force,
    allowImportingTsExtensions: true,
    noEmit: true,
  };
}

/** The compiler options for a notebook in `notebookDir` (a tsconfig.json found upwards wins over the defaults). */
export function notebookCompilerOptions(ts: typeof TS, notebookDir: string): NotebookOptions {
  const configPath = ts.findConfigFile(notebookDir, ts.sys.fileExists, "tsconfig.json");
  if (!configPath) return { options: defaultOptions(ts), problems: [] };
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  const format = (d: TS.Diagnostic) => `${configPath}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  if (read.error) return { options: defaultOptions(ts), configPath, problems: [format(read.error)] };
  // Only compilerOptions matter: the files a notebook checks are its cells and what they import.
  const parsed = ts.convertCompilerOptionsFromJson(read.config?.compilerOptions ?? {}, dirname(configPath), configPath);
  const user = parsed.options;
  const options: TS.CompilerOptions = { ...defaultOptions(ts), ...user, ...FORCED(ts) };
  // The user's own lib/types replace ours; without them keep Node's types from mlnb's packages.
  if (!user.types && !user.typeRoots) options.typeRoots = defaultOptions(ts).typeRoots;
  return { options, configPath, problems: parsed.errors.map(format) };
}
