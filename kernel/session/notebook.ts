// What a kernel session knows of its notebook as a pipeline: cells, stage graph, states, values, store.
//
// The stage machinery (TypeScript-based analysis, SQLite store) is loaded on first use so the
// kernel is ready before it has loaded TypeScript.
import { basename, dirname, join } from "node:path";
import { localModulesHash } from "../exec/localModules.js";
import type * as Magics from "../magics/index.js";
import { mark } from "../runtime/trace.js";
import type * as Stages from "../stages/index.js";
import type { CellFacts, CodecRegistry, RunStore, StageGraph, StageInfo, StageState, ValueSource } from "../stages/index.js";

export type MagicsModule = typeof Magics;
export type StagesModule = typeof Stages;

/** One cell as the kernel last saw it. */
export interface KnownCell {
  id: string;
  source: string;
  /** Parsed magics (ok) or undefined when they failed to parse. */
  parsed?: Magics.ParsedCell;
  /** Defs and refs of the cell's code, computed once per source (the graph is rebuilt often). */
  names?: Stages.CellNames;
}

/** Loads the stage machinery and the library codecs (prep transformers, trained models). */
export async function loadStageModules(): Promise<{ magics: MagicsModule; stages: StagesModule; codecs: CodecRegistry }> {
  const [magics, stages, { createLibraryCodecs }] = await Promise.all([import("../magics/index.js"), import("../stages/index.js"), import("../stages/libraryCodecs.js")]);
  return { magics, stages, codecs: createLibraryCodecs() };
}

/** The notebook-as-pipeline state of one kernel session. */
export class NotebookState {
  readonly cells = new Map<string, KnownCell>();
  /** Cell ids in notebook order (from a sync, else in order of first execution). */
  order: string[] = [];
  states = new Map<string, StageState>();
  readonly info = new Map<string, StageInfo>();
  readonly values = new Map<string, ValueSource>();
  /** Cell id -> the source it last ran with successfully in this kernel. */
  readonly ran = new Map<string, string>();
  /** The params and seed "unloaded" states were found with (see plan.ts `markUnloaded`). */
  probed: { params: Record<string, unknown>; seed: number } | undefined;
  seed = 0;
  params: Record<string, unknown> = {};
  /** Per stage, the code it last ran with and the hash of the local modules it imported then. */
  readonly moduleHashes = new Map<string, { code: string; hash: string | undefined }>();
  private graphCache: StageGraph | undefined;
  private storeCache: RunStore | undefined;
  private factsCache: CellFacts | undefined;
  private runIdCache: number | undefined;

  constructor(
    readonly notebookPath: string,
    readonly mods: { magics: MagicsModule; stages: StagesModule; codecs: CodecRegistry },
    private readonly storeDir?: string,
  ) {}

  /** Record a cell's source; an edited stage and everything downstream become stale. */
  setCell(id: string, source: string): KnownCell {
    const old = this.cells.get(id);
    if (old && old.source === source) return old;
    const parsed = this.mods.magics.parseMagics(source);
    const cell: KnownCell = { id, source, parsed: parsed.ok ? parsed : undefined };
    const oldStage = old?.parsed ? this.mods.magics.stageOf(old.parsed)?.stage : undefined;
    this.cells.set(id, cell);
    if (!this.order.includes(id)) this.order.push(id);
    const before = this.graphCache;
    this.graphCache = undefined;
    if (old && oldStage && before?.stages.has(oldStage)) this.states = this.mods.stages.markStale(before, [oldStage], this.states);
    return cell;
  }

  /** Replace the known cells with the notebook's (extension sync); returns removed stage names. */
  sync(cells: { id: string; source: string }[]): void {
    for (const c of cells) this.setCell(c.id, c.source);
    const ids = new Set(cells.map((c) => c.id));
    for (const id of [...this.cells.keys()]) if (!ids.has(id)) this.cells.delete(id);
    this.order = cells.map((c) => c.id);
    this.graphCache = undefined;
  }

  get graph(): StageGraph {
    if (!this.graphCache) {
      const { stages } = this.mods;
      const inputs = this.order
        .map((id) => this.cells.get(id))
        .filter((c): c is KnownCell => !!c?.parsed)
        .map((c) => ({ ...stages.cellInput(c.id, c.parsed!), names: (c.names ??= this.facts.analyze(c.parsed!.code)) }));
      this.graphCache = stages.buildGraph(inputs);
    }
    return this.graphCache;
  }

  /** What cells' code gives (defs/refs, code hash, declarations, params), remembered across kernels in the store folder. */
  get facts(): CellFacts {
    const { stages } = this.mods;
    return (this.factsCache ??= stages.openCellFacts(stages.localCacheDir(this.notebookPath, "facts", this.storeDir ?? stages.storeDirFor(this.notebookPath))));
  }

  get store(): RunStore {
    if (!this.storeCache) {
      mark("kernel: store opening");
      this.storeCache = this.mods.stages.openStore({ dir: this.storeDir ?? this.mods.stages.storeDirFor(this.notebookPath), codecs: this.mods.codecs });
      mark("kernel: store open");
    }
    return this.storeCache;
  }

  /** The run this session records into (begun at the first stage). */
  get runId(): number {
    return (this.runIdCache ??= this.store.beginRun({ notebook: this.mods.stages.notebookKey(this.notebookPath), seed: this.seed, params: this.params, source: process.env.MLNB_RUN_SOURCE ?? "kernel" }));
  }

  /** End the run (status "ok" unless a stage failed) and close the store. */
  close(status: "ok" | "error" = "ok"): void {
    if (this.runIdCache !== undefined) this.storeCache?.endRun(this.runIdCache, [...this.states.values()].includes("failed") ? "error" : status);
    this.storeCache?.close();
    this.storeCache = undefined;
    this.runIdCache = undefined;
  }

  /** Stage states for every stage in the graph ("stale" for never run), by cell id too. */
  snapshot(): { stages: Record<string, { state: StageState; cellId: string; info?: StageInfo }> } {
    this.markEditedModules();
    const out: Record<string, { state: StageState; cellId: string; info?: StageInfo }> = {};
    for (const [name, node] of this.graph.stages) out[name] = { state: this.states.get(name) ?? "stale", cellId: node.cellId, info: this.info.get(name) };
    return { stages: out };
  }

  /** A stage whose local modules (helpers.ts...) changed on disk since it ran is stale, and so is everything downstream. */
  markEditedModules(): string[] {
    const edited: string[] = [];
    for (const [name, ran] of this.moduleHashes) {
      if (ran.hash === undefined || !this.graph.stages.has(name)) continue;
      const state = this.states.get(name);
      if (state !== "fresh" && state !== "cached") continue;
      if (localModulesHash(ran.code, dirname(this.notebookPath)) !== ran.hash) edited.push(name);
    }
    if (edited.length) this.states = this.mods.stages.markStale(this.graph, edited, this.states);
    return edited;
  }

  /** A stage cell's code hash as its cache key uses it: the code and the local modules it imports (now, on disk). */
  codeHashOf(code: string): string {
    return this.facts.codeHash(code, localModulesHash(code, dirname(this.notebookPath)));
  }

  /** Forget values and states (after %reset). */
  reset(): void {
    this.values.clear();
    this.states.clear();
    this.ran.clear();
    this.info.clear();
  }
}

/** The notebook path the kernel was started for (set by the client), else a name in its folder. */
export function notebookPathFromEnv(cwd: string): string {
  return process.env.MLNB_NOTEBOOK ?? join(cwd, `${basename(cwd)}.mlnb`);
}
