// Table lineage (sources, split partitions, row provenance) and the data-leakage guard every fit calls.
//
// Cells call arquero verbs directly, so lineage cannot be threaded through our own API only:
// at import we wrap the table-returning methods of arquero's ColumnTable once and keep each
// table's lineage in a WeakMap (tables are immutable, so a table's lineage never changes).
// Rows are tracked as ids of their root table (a read file, or any table first seen), which
// lets the guard tell "fitted on the full table" from "fitted on another filtered subset".
import { ColumnTable } from "arquero";

/** Rows of one root present in a table: explicit root row ids, or "all" of them. */
export type RootRows = Uint32Array | "all";

/** A split partition a table descends from (inherited by every table derived from it). */
export interface PartitionTag {
  /** Id of the split call that made the partition. */
  split: number;
  method: "trainTestSplit" | "kFold" | "stratifiedKFold";
  /** "train", "test", "fold-k" (held-out fold k) or "fold-k-train" (the other folds). */
  name: string;
  role: "train" | "test";
  /** Fold index (0 for a train/test split); a train tag protects only its own fold's test. */
  fold: number;
  /** What was split, for messages (e.g. "penguins.csv"). */
  of: string;
}

/** Where a table came from. */
export interface Lineage {
  id: number;
  /** The verb that made it ("read", "derive", "filter", "trainTestSplit", ...). */
  op: string;
  parents: Lineage[];
  /** Set on root tables: what was read (path, sha256, query, url) or "table#N". */
  source?: { kind: string; name: string; path?: string; sha256?: string };
  /** Split partitions this table descends from. */
  partitions: PartitionTag[];
  /** Row provenance: root key -> rows of that root in this table. */
  rows: Map<string, RootRows>;
  /** Physical row index -> root row id, when the table has a single root ("identity" for roots). */
  phys?: { root: string; map: Uint32Array | "identity" };
}

/** Raised when a fit sees rows of a test partition. */
export class DataLeakageError extends Error {
  constructor(message: string, readonly fit: string, readonly partition: string) {
    super(message);
    this.name = "DataLeakageError";
  }
}

type Table = ColumnTable;
const lineages = new WeakMap<object, Lineage>();
let nextId = 1;
let depth = 0;
let mode: "error" | "warn" = "error";
const warnings: string[] = [];

/** Choose whether leakage throws (default) or only warns. */
export function setLeakageMode(m: "error" | "warn"): void {
  mode = m;
}

/** Leakage warnings emitted in "warn" mode since the last call (then cleared). */
export function leakageWarnings(): string[] {
  return warnings.splice(0);
}

/** The lineage of a table, or undefined if the table was never seen by a verb, read or split. */
export function lineageOf(table: unknown): Lineage | undefined {
  return table && typeof table === "object" ? lineages.get(table) : undefined;
}

/** The lineage of a table, making it a new root ("table#N") if it has none yet. */
export function ensureLineage(table: Table): Lineage {
  const known = lineages.get(table);
  if (known) return known;
  const id = nextId++;
  return setRoot(table, { kind: "table", name: `table#${id}` }, `table#${id}`, id);
}

/**
 * Mark a table as a root read from a source; `key` identifies its rows across re-reads
 * (e.g. path + sha256), so re-reading the same file gives the same row ids.
 */
export function setRoot(table: Table, source: NonNullable<Lineage["source"]>, key: string, id = nextId++, rowOffset?: number): Lineage {
  const filtered = table.isFiltered() || table.isOrdered();
  // a batch of a stream holds rows rowOffset.. of the stream's rows
  const range = rowOffset === undefined ? undefined : Uint32Array.from({ length: table.totalRows() }, (_, i) => rowOffset + i);
  const lin: Lineage = {
    id, op: source.kind === "table" ? "table" : "read", parents: [], source, partitions: [],
    rows: new Map([[key, range ?? (filtered ? Uint32Array.from(table.indices()) : "all")]]),
    phys: { root: key, map: range ?? "identity" },
  };
  lineages.set(table, lin);
  return lin;
}

/** Record that `child` holds the rows at logical `positions` of `parent`, as a split partition. */
export function setPartition(child: Table, parent: Table, positions: ArrayLike<number>, tag: PartitionTag): Lineage {
  const p = ensureLineage(parent);
  const lin: Lineage = { id: nextId++, op: tag.method, parents: [p], partitions: [...p.partitions, tag], rows: new Map() };
  const idx = parent.indices();
  if (p.phys) {
    const ids = new Uint32Array(positions.length);
    const map = p.phys.map;
    for (let i = 0; i < ids.length; i++) {
      const r = idx[positions[i]];
      ids[i] = map === "identity" ? r : map[r];
    }
    lin.rows.set(p.phys.root, ids);
    // the child is a reified copy: its physical rows are exactly these ids
    if (child.totalRows() === ids.length && !child.isFiltered()) lin.phys = { root: p.phys.root, map: ids };
  } else {
    copyRows(lin.rows, p.rows);
  }
  lineages.set(child, lin);
  return lin;
}

function copyRows(into: Map<string, RootRows>, from: Map<string, RootRows>): void {
  for (const [k, v] of from) {
    const have = into.get(k);
    if (!have) into.set(k, v);
    else if (have !== "all" && v !== "all" && have !== v) into.set(k, Uint32Array.from(new Set([...have, ...v])));
    else if (v === "all") into.set(k, "all");
  }
}

function gather(phys: NonNullable<Lineage["phys"]>, physical: ArrayLike<number>): Uint32Array {
  const out = new Uint32Array(physical.length);
  const map = phys.map;
  for (let i = 0; i < out.length; i++) out[i] = map === "identity" ? physical[i] : map[physical[i]];
  return out;
}

// verbs whose result keeps the input's physical rows (only a filter mask, order or columns change)
const SAME_PHYSICAL = new Set(["derive", "select", "rename", "relocate", "filter", "groupby", "ungroup", "orderby", "unorder", "impute", "params"]);
const WRAPPED = [
  "assign", "derive", "filter", "slice", "groupby", "orderby", "relocate", "rename", "reduce", "rollup", "sample",
  "select", "ungroup", "unorder", "dedupe", "impute", "fold", "pivot", "spread", "unroll", "lookup", "join",
  "join_left", "join_right", "join_full", "cross", "semijoin", "antijoin", "concat", "union", "intersect", "except", "reify",
];

function derived(op: string, self: Table, result: Table, args: unknown[], startId: number): Lineage {
  const p = ensureLineage(self);
  const others = args.filter((a): a is Table => a instanceof ColumnTable && a !== self).map(ensureLineage);
  const inner = lineages.get(result);
  if (inner && inner.id >= startId && inner.parents.includes(p)) {
    // an inner wrapped call (e.g. slice -> reify) already computed exact rows: keep them, relabel
    const lin: Lineage = { ...inner, op, parents: [p, ...others] };
    for (const o of others) { lin.partitions = mergeTags(lin.partitions, o.partitions); copyRows(lin.rows = new Map(lin.rows), o.rows); }
    return lin;
  }
  let partitions = p.partitions;
  for (const o of others) partitions = mergeTags(partitions, o.partitions);
  const lin: Lineage = { id: nextId++, op, parents: [p, ...others], partitions, rows: new Map() };
  const samePhysical = others.length === 0 && SAME_PHYSICAL.has(op) && result.totalRows() === self.totalRows();
  if (op === "reify" && p.phys && others.length === 0) {
    const idx = (args[0] as ArrayLike<number> | undefined) ?? self.indices();
    const ids = gather(p.phys, idx);
    lin.rows.set(p.phys.root, ids);
    lin.phys = { root: p.phys.root, map: ids };
  } else if (samePhysical && p.phys) {
    lin.phys = p.phys;
    const all = !result.isFiltered() && p.phys.map === "identity";
    lin.rows.set(p.phys.root, all ? "all" : result.numRows() === self.numRows() ? p.rows.get(p.phys.root)! : gather(p.phys, result.indices()));
  } else {
    // unknown row relation: keep every input row as possibly present (safe for the guard)
    copyRows(lin.rows, p.rows);
    for (const o of others) copyRows(lin.rows, o.rows);
  }
  return lin;
}

function mergeTags(a: PartitionTag[], b: PartitionTag[]): PartitionTag[] {
  const out = [...a];
  for (const t of b) if (!out.includes(t)) out.push(t);
  return out;
}

function install(): void {
  const proto = ColumnTable.prototype as unknown as Record<string, unknown> & { __mlnbLineage?: boolean };
  if (proto.__mlnbLineage) return;
  Object.defineProperty(proto, "__mlnbLineage", { value: true });
  for (const name of WRAPPED) {
    const original = proto[name];
    if (typeof original !== "function") continue;
    const wrapped = function (this: Table, ...args: unknown[]) {
      const startId = nextId;
      depth++;
      let result: unknown;
      try {
        result = (original as (...a: unknown[]) => unknown).apply(this, args);
      } finally {
        depth--;
      }
      // inner calls on untracked intermediates (arquero's own helpers) are not worth a root
      if (result instanceof ColumnTable && result !== this && (depth === 0 || lineages.has(this))) {
        lineages.set(result, derived(name, this, result, args, startId));
      }
      return result;
    };
    Object.defineProperty(wrapped, "name", { value: name });
    proto[name] = wrapped;
  }
}
install();

// --- the guard ---------------------------------------------------------------------------

/** A registered train/test split: its held-out rows, and the root and nesting level it split. */
export interface SplitRecord {
  split: number;
  of: string;
  /** Root keys of the split table, sorted. */
  roots: string[];
  /** The split table's own partitions (a split of a train partition is nested below it). */
  level: { split: number; name: string }[];
  test: Map<string, RootRows>;
  name: string;
}
const splits: SplitRecord[] = [];
const sameSplit = (a: SplitRecord, b: SplitRecord): boolean =>
  a.roots.join("\0") === b.roots.join("\0") && a.level.map((t) => `${t.split}:${t.name}`).join(",") === b.level.map((t) => `${t.split}:${t.name}`).join(",");

/**
 * Register the test rows of a train/test split, so a later fit on the unsplit table (which
 * contains them) is caught. A new split of the same root at the same nesting level replaces the
 * older one: a notebook cell that is re-run (other seed, changed filter) must not leave a stale
 * split behind that would flag the new train rows.
 */
export function registerSplit(split: number, of: string, source: Lineage, test: Lineage, name = "test"): void {
  addSplitRecord({ split, of, roots: [...source.rows.keys()].sort(), level: source.partitions.map((t) => ({ split: t.split, name: t.name })), test: test.rows, name });
}

/** Register a split record as is (a split restored from the stage cache), replacing one of the same root and level. */
export function addSplitRecord(record: SplitRecord): void {
  for (let i = splits.length - 1; i >= 0; i--) if (sameSplit(splits[i], record)) splits.splice(i, 1);
  splits.push(record);
  if (splits.length > 64) splits.shift();
}

/** The registered record of split `split`, if it is still registered. */
export function splitRecord(split: number): SplitRecord | undefined {
  return splits.find((s) => s.split === split);
}

/** Give `table` the lineage `lin` (used when a stored table is restored with its lineage). */
export function adoptLineage(table: Table, lin: Lineage): void {
  lineages.set(table, lin);
}

/** Next lineage id (split verbs take one per call; restored splits and roots take fresh ones too). */
export function nextSplitId(): number {
  return nextId++;
}

function overlaps(a: Map<string, RootRows>, b: Map<string, RootRows>): boolean {
  for (const [root, ra] of a) {
    const rb = b.get(root);
    if (!rb) continue;
    if (ra === "all") { if (rb === "all" || rb.length > 0) return true; continue; }
    if (rb === "all") { if (ra.length > 0) return true; continue; }
    const [small, big] = ra.length < rb.length ? [ra, rb] : [rb, ra];
    const seen = new Set<number>(small);
    for (let i = 0; i < big.length; i++) if (seen.has(big[i])) return true;
  }
  return false;
}

function report(message: string, fit: string, partition: string): void {
  if (mode === "error") throw new DataLeakageError(message, fit, partition);
  warnings.push(message);
  console.warn(`DataLeakageWarning: ${message}`);
}

function describe(t: PartitionTag): string {
  return `test partition "${t.name}" of ${t.method} #${t.split} of ${t.of}`;
}

/**
 * Called by every fit (transformers here, models in train): raises DataLeakageError (or warns,
 * per setLeakageMode) when the table holds rows of a test partition, either because it descends
 * from one or because it still contains the rows a train/test split held out. Returns the
 * table's lineage, which the fitted object keeps for `checkTransform`.
 */
export function checkLeakage(table: Table, fitName: string): Lineage {
  const lin = ensureLineage(table);
  for (const t of lin.partitions) {
    if (t.role === "test") report(`${fitName} was fitted on rows of the ${describe(t)}`, fitName, t.name);
  }
  for (const s of splits) {
    if (lin.partitions.some((t) => t.split === s.split)) continue;
    if (overlaps(lin.rows, s.test)) {
      report(`${fitName} was fitted on a table that contains rows of test partition "${s.name}" of trainTestSplit #${s.split} of ${s.of}: fit on the train partition instead`, fitName, s.name);
    }
  }
  return lin;
}

/**
 * Called when a fitted object is applied: raises DataLeakageError (or warns) when `table` is
 * (derived from) a test partition whose rows the fit saw, e.g. a scaler fitted on the full table
 * before the split and then applied to the test set. Safe when the fit was on the train side of
 * the same split and fold, or on rows disjoint from the test rows.
 */
export function checkTransform(fittedOn: Lineage | undefined, table: Table, name: string): void {
  if (!fittedOn) return;
  const lin = lineageOf(table);
  if (!lin) return;
  for (const t of lin.partitions) {
    if (t.role !== "test") continue;
    const safe = fittedOn.partitions.some((f) => f.split === t.split && f.fold === t.fold && f.role === "train");
    if (safe) continue;
    if (overlaps(fittedOn.rows, lin.rows)) {
      report(`${name} was fitted on rows of the ${describe(t)} (fitted before the split?) and is now applied to it: fit on the train partition instead`, name, t.name);
    }
  }
}

/** A short human description of a table's lineage (sources and partitions), for displays. */
export function describeLineage(lin: Lineage): string {
  const sources = new Set<string>();
  const walk = (l: Lineage): void => { if (l.source) sources.add(l.source.name); l.parents.forEach(walk); };
  walk(lin);
  const parts = lin.partitions.map((t) => `${t.name} (${t.method} #${t.split})`);
  return `${[...sources].join(", ")}${parts.length ? ` -> ${parts.join(" -> ")}` : ""} via ${lin.op}`;
}
