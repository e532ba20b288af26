// The TypeScript cell executor: type check, compile, run in the shared scope, turn the result rich.
import { AsyncLocalStorage } from "node:async_hooks";
import { join } from "node:path";
import vm from "node:vm";
import type * as TS from "typescript";
import { display, richBundle } from "../ml/display.js";
import type { Mime } from "../ml/context.js";
import type { ErrorInfo, ExecStatus, TypeCheckMode } from "../protocol.js";
import { moduleGlobals, moduleMeta } from "./moduleGlobals.js";
import { interopDefault, resolveCellImport } from "./modules.js";
import { wallTime } from "./timeLine.js";
import { compileCell, RUNTIME, stripCell, type CompiledCell } from "./transform.js";
import { checkCacheDir } from "./checkCache.js";
import { keptStrips } from "../transpile/keptStrips.js";
import { swcLoaded } from "../transpile/swc.js";
import { localCacheDir } from "../stages/store/location.js";
import { createTypeChecker, type TypeChecker } from "./checker.js";
import { syntaxErrors, type CellDiagnostic } from "./typecheck.js";
import { typescript as loadTypeScript, typescriptLoaded } from "../lang/typescript.js";

export interface CellOutcome {
  status: ExecStatus;
  /** The rich result of the cell's last expression, if any. */
  result?: Mime;
  /** The raw value of the last expression (for the stage layer). */
  value?: unknown;
  error?: ErrorInfo;
  /** Names the cell defined at top level. */
  declared: string[];
  /** Type-check warnings (mode "warn"). */
  warnings: CellDiagnostic[];
  /** Mode "warn", when the check was still running as the cell finished: its warnings, to show after the result. */
  lateWarnings?: Promise<CellDiagnostic[]>;
}

export interface RunOptions {
  /** Label used in stacks and errors, e.g. "Cell[3]". */
  label: string;
  typeCheck?: TypeCheckMode;
  /** The request's interrupt: once aborted, the cell's code does not start (an interrupt that came while it was prepared). */
  signal?: AbortSignal;
}

export interface ExecutorOptions {
  notebookDir: string;
  /** The notebook file: cells see it as `__filename` / `import.meta.filename` (default: a name in notebookDir). */
  notebookPath?: string;
  typeCheck?: TypeCheckMode;
}

/** Raised inside a run when the user interrupts it. */
export class InterruptError extends Error {
  constructor() {
    super("Interrupted by the user");
    this.name = "KeyboardInterrupt";
  }
}

export interface Executor {
  /** Shared with the watchdog thread: [0] the flag every loop in cell code checks (non-zero means "interrupt"), [1] the interrupts the watchdog raised. */
  readonly interruptFlag: Int32Array;
  /** The notebook's variables (null prototype: only what cells defined). */
  readonly scope: Record<string, unknown>;
  run(code: string, options: RunOptions): Promise<CellOutcome>;
  /** Stop the running cell (its promise settles as "interrupted"). */
  interrupt(): void;
  /** Forget all variables and declarations. */
  reset(): void;
  /** The TypeScript module, loaded in the background at start. */
  typescript(): Promise<typeof TS>;
  /** Teach the type checker a cell's declarations without running it (a stage restored from the cache). */
  learn(code: string, stored?: readonly [string, string][]): Promise<void>;
  /** The declarations (name, declaration text) the type checker learned from `code`, if it ran here checked. */
  declarations(code: string): Promise<[string, string][] | undefined>;
  /** Whether TypeScript is loaded in this kernel, on any thread (restored stages and unchecked cells must not need it). */
  typescriptLoaded(): Promise<boolean>;
  /** Whether the type checker's thread was started (checks the persistent cache answers start none). */
  checkerThread(): boolean;
  /** Whether swc was loaded in this kernel (cells stripped in earlier kernels are taken from the store). */
  swcLoaded(): boolean;
  /** Strip `code` now and keep the output for later kernels (code a restore will run: a warm run then strips nothing). Never throws. */
  keepStripped(code: string): void;
  /** Where this kernel's type checks go (kernel/exec/checker.ts `where`), once it has a checker. */
  checkerAt(): string | undefined;
  /** Load TypeScript and the type checker's libraries before the first cell needs them. */
  warmup(): Promise<void>;
  /** A thrown value as ErrorInfo, cell frames mapped to cell lines (for errors that escaped a cell). */
  describe(error: unknown): ErrorInfo;
}

/** Create an executor. Loading TypeScript starts at once but nothing waits for it until needed. */
export function createExecutor(options: ExecutorOptions): Executor {
  const { notebookDir } = options;
  const notebookPath = options.notebookPath ?? join(notebookDir, "notebook.mlnb");
  const scope: Record<string, unknown> = Object.create(null);
  const compiled = new Map<string, CompiledCell>();
  let checker: TypeChecker | undefined;
  let interruptCurrent: (() => void) | undefined;
  // [0]: the flag loops test; [1]: how many interrupts the watchdog thread has raised (see lowerFlag).
  const interruptFlag = new Int32Array(new SharedArrayBuffer(8));
  /** Interrupts this thread has handled (`interrupt()` calls). */
  let interruptsHandled = 0;
  /**
   * Lower the flag before a cell's code starts, keeping an interrupt that is still on its way: the
   * watchdog raises the flag at once and tells this thread by a message, which may not have arrived
   * yet. Such an interrupt is for the cell about to start, so the flag stays up and its first loop stops.
   */
  const lowerFlag = () => {
    Atomics.store(interruptFlag, 0, 0);
    if (Atomics.load(interruptFlag, 1) > interruptsHandled) Atomics.store(interruptFlag, 0, 1);
  };
  const timers = new Map<number, number>();
  /**
   * The execution a cell's code runs for, through its awaits and callbacks: one interrupted while
   * it waited must not go on when the wait ends, perhaps while the next cell runs with the flag down
   * (its loops would spin unseen). Every `await` in cell code is wrapped in `resumed`, which checks.
   */
  const execution = new AsyncLocalStorage<{ interrupted: boolean }>();

  const typescript = async () => loadTypeScript();
  // Checks run on a thread of their own, which loads TypeScript only for a check the persistent
  // cache cannot answer (a fresh kernel over a warm store may never need it).
  const getChecker = () => (checker ??= createTypeChecker(notebookDir, checkCacheDir(notebookPath)));
  // Cells stripped of types in earlier kernels are not stripped again: a warm run loads no swc.
  const strip = keptStrips(localCacheDir(notebookPath, "stripped"));

  // Helpers cell scripts call (imports, scope) live on one global object.
  Object.defineProperty(globalThis, RUNTIME, {
    value: {
      scope,
      import: (specifier: string) => import(resolveCellImport(specifier, notebookDir)),
      // `import.meta` in a cell: that of a module file in the notebook's folder.
      meta: moduleMeta(notebookPath),
      interopDefault,
      flag: interruptFlag,
      // The global object, from which a cell binds the built-ins it reads (see builtinAliases.ts).
      global: globalThis,
      // `%time` (see session/timeLine.ts): time one statement and print its wall time.
      timeStart: (line: number) => timers.set(line, performance.now()),
      timeEnd: (line: number) => process.stdout.write(`${wallTime(performance.now() - (timers.get(line) ?? performance.now()))}\n`),
      timed: async (line: number, f: () => Promise<unknown>) => {
        const t0 = performance.now();
        try {
          return await f();
        } finally {
          process.stdout.write(`${wallTime(performance.now() - t0)}\n`);
        }
      },
      // A cell's top-level let or class that its closures capture, published as a live accessor (see transform.ts).
      bind: (name: string, get: () => unknown, set: (v: unknown) => void) => Object.defineProperty(scope, name, { get, set, enumerable: true, configurable: true }),
      // A cell's const, import, function or plain-local let, published by value.
      set: (name: string, value: unknown) => Object.defineProperty(scope, name, { value, writable: true, enumerable: true, configurable: true }),
      resumed: <T>(value: T): T => {
        if (execution.getStore()?.interrupted) throw new InterruptError();
        return value;
      },
      stop: () => {
        Atomics.store(interruptFlag, 0, 0);
        throw new InterruptError();
      },
    },
    configurable: true,
    enumerable: false,
  });
  const initScope = () => Object.assign(scope, { display }, moduleGlobals(notebookPath));
  initScope();

  /** Strip `code` now, remembered (and kept) for when it compiles; a syntax error shows when the code runs, not here. */
  function keepStripped(code: string, label: string): void {
    try {
      stripCell(code, label, strip);
    } catch {
      // Reported by compileCell.
    }
  }

  async function run(code: string, opts: RunOptions): Promise<CellOutcome> {
    const mode = opts.typeCheck ?? options.typeCheck ?? "warn";
    // "warn": the cell runs while the checker thread checks it; "error": it waits for the verdict.
    let checked: CellDiagnostic[] | undefined;
    const check = mode === "off" ? undefined : getChecker().check(code).catch((e: Error): CellDiagnostic[] => [{ line: 1, column: 1, code: 0, message: `the type check failed: ${e.message.split("\n")[0]}` }]);
    void check?.then((d) => (checked = d));
    const notStarted: CellOutcome = { status: "interrupted", error: { name: "KeyboardInterrupt", message: "Interrupted by the user" }, declared: [], warnings: [] };
    if (opts.signal?.aborted) return notStarted;
    if (check && mode === "error") {
      // An interrupt while the checker thread works (a fresh kernel loading TypeScript) means the cell never runs.
      lowerFlag();
      // Meanwhile strip the cell's types (a pure function of the code, remembered for compileCell
      // below): in a fresh kernel this loads swc while the checker thread loads TypeScript.
      keepStripped(code, opts.label);
      const diags = await check;
      if (Atomics.load(interruptFlag, 0) || opts.signal?.aborted) return notStarted;
      if (diags.length) return { status: "error", error: diagnosticsError(diags, opts.label), declared: [], warnings: [] };
    }
    // The warnings known when the cell is done, else a promise of them (see CellOutcome.lateWarnings).
    const warned = () => (checked || !check ? { warnings: checked ?? [] } : { warnings: [], lateWarnings: check });

    let cell: CompiledCell;
    try {
      cell = compileCell(code, opts.label, {
        isNotebookName: (name) => name in scope,
        isPlainNotebookValue: (name) => "value" in (Object.getOwnPropertyDescriptor(scope, name) ?? {}),
        strip,
      });
    } catch (e) {
      const diags = syntaxErrors(await typescript(), code);
      const error: ErrorInfo = diags.length ? diagnosticsError(diags, opts.label, "SyntaxError") : { name: "SyntaxError", message: String((e as Error).message).split("\n\nCaused by")[0] };
      return { status: "error", error, declared: [], ...warned() };
    }
    compiled.set(opts.label, cell);
    for (const name of cell.declared) if (!(name in scope)) scope[name] = undefined;

    let fn: () => Promise<unknown>;
    try {
      const script = new vm.Script(cell.script, { filename: opts.label, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
      fn = script.runInThisContext();
    } catch (e) {
      return { status: "error", error: toErrorInfo(e, compiled, opts.label), declared: [], ...warned() };
    }

    // The flag may still be up from an interrupt of earlier work; this request's own interrupt is
    // its signal (the flag alone would be cleared here, and the cell would run on as if never interrupted).
    if (opts.signal?.aborted) return notStarted;
    lowerFlag();
    const token = { interrupted: false };
    const interrupted = new Promise<never>((_, reject) => {
      interruptCurrent = () => {
        token.interrupted = true;
        reject(new InterruptError());
      };
    });
    // User code starts in its own macrotask: if a busy loop in it is terminated by an interrupt,
    // only that task unwinds, and this function still settles.
    const user = new Promise<unknown>((resolve, reject) => setImmediate(() => {
      // Interrupted before its macrotask came: the cell was reported interrupted, and the next cell
      // may already have lowered the flag, so starting it now would spin on unseen.
      if (token.interrupted) return reject(new InterruptError());
      try {
        resolve(execution.run(token, fn));
      } catch (e) {
        reject(e);
      }
    }));
    try {
      const value = await Promise.race([user, interrupted]);
      const result = cell.hasResult && value !== undefined ? await richBundle(value) : undefined;
      return { status: "ok", result, value, declared: cell.declared, ...warned() };
    } catch (e) {
      if (e instanceof InterruptError) return { status: "interrupted", error: { name: e.name, message: e.message }, declared: cell.declared, ...warned() };
      return { status: "error", error: toErrorInfo(e, compiled, opts.label), declared: cell.declared, ...warned() };
    } finally {
      interruptCurrent = undefined;
      // What the cell defined before it failed or was interrupted stays, as in Jupyter.
      if (mode !== "off") getChecker().commit(code);
    }
  }

  return {
    interruptFlag,
    scope,
    run,
    interrupt: () => {
      interruptsHandled++;
      Atomics.store(interruptFlag, 0, 1);
      interruptCurrent?.();
    },
    reset() {
      for (const k of Object.keys(scope)) delete scope[k];
      initScope();
      checker?.reset();
    },
    typescript,
    declarations: async (code) => checker?.declarations(code),
    typescriptLoaded: async () => typescriptLoaded() || ((await checker?.typescriptLoaded()) ?? false),
    checkerThread: () => checker?.threadStarted() ?? false,
    swcLoaded,
    keepStripped: (code) => keepStripped(code, ""),
    checkerAt: () => checker?.where(),
    async learn(code, stored) {
      if (options.typeCheck === "off") return;
      // Declarations recorded with the stage's execution: no type check of a restored stage.
      await getChecker().learn(code, stored);
    },
    async warmup() {
      if (options.typeCheck === "off") return;
      // A headless run (`mlnb run`) skips this: its checks may all come from the persistent cache.
      if (process.env.MLNB_TYPECHECK_WARMUP === "off") return;
      getChecker().warm();
    },
    describe: (error) => toErrorInfo(error, compiled, ""),
  };
}

function diagnosticsError(diags: CellDiagnostic[], label: string, name = "TypeScriptError"): ErrorInfo {
  const lines = diags.map((d) => `${label}:${d.line}:${d.column} - TS${d.code}: ${d.message}`);
  return { name, message: lines.join("\n"), line: diags[0].line, column: diags[0].column };
}

const FRAME = /(Cell\[[^\]]+\]|[\w.-]+\.mlnb#\d+):(\d+):(\d+)/g;

/** Turn a thrown value into ErrorInfo, with cell frames mapped to cell lines and kernel frames cut. */
export function toErrorInfo(e: unknown, compiled: Map<string, CompiledCell>, label: string): ErrorInfo {
  if (!(e instanceof Error)) return { name: "Error", message: `Uncaught ${typeof e === "string" ? e : JSON.stringify(e)}` };
  let line: number | undefined;
  const stackLines = (e.stack ?? "").split("\n");
  const kept: string[] = [];
  for (const l of stackLines) {
    if (/node:vm|node:internal|\/out\/kernel\/exec\/|processImmediate/.test(l)) break;
    kept.push(
      l.replace(FRAME, (_m, file: string, ln: string) => {
        const mapped = compiled.get(file)?.cellLine(Number(ln));
        if (file === label && line === undefined && mapped !== undefined) line = mapped;
        return mapped === undefined ? `${file}` : `${file}, line ${mapped}`;
      }),
    );
  }
  return { name: e.name, message: e.message, stack: kept.join("\n"), line };
}
