// Compact JSON summaries of table lineage, so the leakage guard survives the stage cache.
//
// A stored table comes back from Arrow IPC as a plain table. Its lineage travels beside the
// bytes (a codec "sidecar", never part of the value's hash): partition tags, root row ids, the
// physical row map, and the held-out rows of the train/test splits it descends from.
// Split ids and in-memory roots ("table#N") come from a process-wide counter, so they differ
// between the kernel and an exported script, and between two kernel sessions. A summary names a
// split by a content key (a hash of its partitions' root rows) when it has one, else by this
// process's origin, and a restore maps each split name to one local id, the same for every table
// of every restore in this process, so tables that came from one split (restored, or split here)
// still count as one split. In-memory roots are named with this process's origin.
import { createHash, randomBytes } from "node:crypto";
import type { ColumnTable } from "arquero";
import { addSplitRecord, adoptLineage, lineageOf, nextSplitId, splitRecord, type Lineage, type PartitionTag, type RootRows } from "./lineage.js";

/** Rows of one root: "all", "phys" (the rows of the table's physical map) or base64 of uint32 row ids. */
type RowsJson = string;

/** The JSON lineage summary of one table: what a stored table keeps beside its bytes. */
export type LineageSummary = {
  v: 1;
  /** Names of the sources the table came from, for messages. */
  sources: string[];
  partitions: { split: string; method: PartitionTag["method"]; name: string; role: PartitionTag["role"]; fold: number; of: string }[];
  /** Root name -> rows of that root in the table. */
  rows: { [root: string]: RowsJson };
  /** Stored row i -> root row id ("identity": row i is root row i). */
  phys: { root: string; map: RowsJson } | null;
  /** Registered train/test splits the table descends from; `test: "self"` when its rows are the table's. */
  splits: { split: string; of: string; name: string; roots: string[]; level: { split: string; name: string }[]; test: { [root: string]: RowsJson } | "self" }[];
};

const ORIGIN = randomBytes(6).toString("hex");
const LOCAL_ROOT = /^table#\d+$/;
const FOREIGN_ROOT = /^([0-9a-f]{12})\/(table#\d+)$/;

const splitKeys = new Map<number, string>();
const splitIds = new Map<string, number>();
const tags = new Map<string, PartitionTag>();

function exportRoot(root: string): string {
  // read roots are named by content (file sha256, query), the same in every process
  return LOCAL_ROOT.test(root) ? `${ORIGIN}/${root}` : root;
}

function importRoot(name: string): string {
  // another process's in-memory root keeps its qualified name: it can never meet a local table#N
  const m = FOREIGN_ROOT.exec(name);
  return m && m[1] === ORIGIN ? m[2]! : name;
}

function exportSplit(split: number): string {
  let key = splitKeys.get(split);
  if (!key) {
    key = `${ORIGIN}:${split}`;
    splitKeys.set(split, key);
    splitIds.set(key, split);
  }
  return key;
}

function importSplit(key: string): number {
  let id = splitIds.get(key);
  if (id === undefined) {
    id = nextSplitId();
    splitIds.set(key, id);
    splitKeys.set(id, key);
  }
  return id;
}

function toBase64(ids: Uint32Array): string {
  // little-endian, as on every platform Node runs on
  return Buffer.from(ids.buffer, ids.byteOffset, ids.byteLength).toString("base64");
}

function fromBase64(text: string): Uint32Array | undefined {
  const bytes = Buffer.from(text, "base64");
  if (bytes.byteLength % 4 !== 0) return undefined;
  const ids = new Uint32Array(bytes.byteLength / 4);
  new Uint8Array(ids.buffer).set(bytes);
  return ids;
}

/**
 * Name split `split` by its content: a hash of the method and of its partitions' root rows, so a
 * split made again elsewhere (an exported script, another session) of the same rows gets the
 * same name. Only when every partition has exact row ids (a single root); others keep an
 * origin-bound name. Called by the split verbs once their partitions exist.
 */
export function sealSplit(split: number, method: PartitionTag["method"], parts: readonly Lineage[]): void {
  if (!parts.every((p) => p.phys && p.phys.map !== "identity")) return;
  const h = createHash("sha256");
  h.update(`mlnb-split-v1\0${method}\0${parts.length}\0`);
  for (const p of parts) {
    const ids = p.phys!.map as Uint32Array;
    h.update(`${exportRoot(p.phys!.root)}\0${ids.length}\0`);
    h.update(new Uint8Array(ids.buffer, ids.byteOffset, ids.byteLength));
  }
  const key = `split:${h.digest("hex").slice(0, 32)}`;
  splitKeys.set(split, key);
  splitIds.set(key, split);
}

function rowsJson(rows: Map<string, RootRows>): { [root: string]: RowsJson } {
  const out: { [root: string]: RowsJson } = {};
  for (const [root, r] of rows) out[exportRoot(root)] = r === "all" ? "all" : toBase64(r);
  return out;
}

function partitionsJson(partitions: readonly PartitionTag[]): LineageSummary["partitions"] {
  return partitions.map((t) => ({ split: exportSplit(t.split), method: t.method, name: t.name, role: t.role, fold: t.fold, of: t.of }));
}

function rowsFromJson(json: { [root: string]: RowsJson }, phys?: Uint32Array): Map<string, RootRows> | undefined {
  const rows = new Map<string, RootRows>();
  for (const [name, r] of Object.entries(json)) {
    const ids = r === "all" ? "all" : r === "phys" ? phys : fromBase64(r);
    if (!ids) return undefined;
    rows.set(importRoot(name), ids);
  }
  return rows;
}

function sourceNames(lin: Lineage): string[] {
  const names = new Set<string>();
  const walk = (l: Lineage): void => {
    if (l.source) names.add(l.source.name);
    l.parents.forEach(walk);
  };
  walk(lin);
  return [...names];
}

/** The lineage summary of a table, or undefined when the table has no lineage. */
export function summarizeLineage(table: ColumnTable): LineageSummary | undefined {
  const lin = lineageOf(table);
  if (!lin) return undefined;
  let phys: LineageSummary["phys"] = null;
  if (lin.phys) {
    const map = lin.phys.map;
    // the stored table holds the visible rows in their order
    if (map === "identity" && !table.isFiltered() && !table.isOrdered()) phys = { root: exportRoot(lin.phys.root), map: "identity" };
    else {
      const idx = table.indices();
      const ids = new Uint32Array(idx.length);
      for (let i = 0; i < ids.length; i++) ids[i] = map === "identity" ? idx[i]! : map[idx[i]!]!;
      phys = { root: exportRoot(lin.phys.root), map: toBase64(ids) };
    }
  }
  const rows: LineageSummary["rows"] = {};
  for (const [root, r] of lin.rows) {
    const viaPhys = r !== "all" && lin.phys?.root === root && r.length === table.numRows();
    rows[exportRoot(root)] = r === "all" ? "all" : viaPhys ? "phys" : toBase64(r);
  }
  const splits: LineageSummary["splits"] = [];
  const seen = new Set<number>();
  for (const t of lin.partitions) {
    if (t.method !== "trainTestSplit" || seen.has(t.split)) continue;
    seen.add(t.split);
    const rec = splitRecord(t.split);
    if (!rec) continue;
    splits.push({
      split: exportSplit(rec.split), of: rec.of, name: rec.name, roots: rec.roots.map(exportRoot),
      level: rec.level.map((l) => ({ split: exportSplit(l.split), name: l.name })),
      test: rec.test === lin.rows ? "self" : rowsJson(rec.test),
    });
  }
  return {
    v: 1,
    sources: sourceNames(lin),
    partitions: partitionsJson(lin.partitions),
    rows,
    phys,
    splits,
  };
}

function isSummary(value: unknown): value is LineageSummary {
  const s = value as Partial<LineageSummary> | null;
  return typeof s === "object" && s !== null && s.v === 1 && Array.isArray(s.partitions) && Array.isArray(s.splits) && Array.isArray(s.sources) && typeof s.rows === "object" && s.rows !== null;
}

function tagFor(t: LineageSummary["partitions"][number]): PartitionTag {
  const split = importSplit(t.split);
  const key = `${split}\0${t.method}\0${t.name}\0${t.role}\0${t.fold}`;
  let tag = tags.get(key);
  // one object per partition, so merged lineages (join, concat) list it once
  if (!tag) tags.set(key, (tag = { split, method: t.method, name: t.name, role: t.role, fold: t.fold, of: t.of }));
  return tag;
}

/**
 * Give a restored table the lineage in `summary` (from `summarizeLineage` of the stored table,
 * possibly in another process) and register the held-out rows of its splits unless this process
 * already has them. Returns the lineage, or undefined when `summary` is not one this build reads
 * or does not fit the table (then the table is a plain new root, as before lineage was stored).
 */
export function restoreLineage(table: ColumnTable, summary: unknown): Lineage | undefined {
  if (!isSummary(summary)) return undefined;
  const n = table.totalRows();
  let phys: Lineage["phys"];
  if (summary.phys) {
    const map = summary.phys.map === "identity" ? "identity" : fromBase64(summary.phys.map);
    if (!map || (map !== "identity" && map.length !== n)) return undefined;
    phys = { root: importRoot(summary.phys.root), map };
  }
  const physIds = phys && (phys.map === "identity" ? Uint32Array.from({ length: n }, (_, i) => i) : phys.map);
  const rows = rowsFromJson(summary.rows, physIds);
  if (!rows) return undefined;
  for (const s of summary.splits) {
    const split = importSplit(s.split);
    if (splitRecord(split)) continue;
    const test = s.test === "self" ? rows : rowsFromJson(s.test);
    if (!test) continue;
    addSplitRecord({ split, of: s.of, name: s.name, roots: s.roots.map(importRoot).sort(), level: s.level.map((l) => ({ split: importSplit(l.split), name: l.name })), test });
  }
  const sources = summary.sources.map((name): Lineage => ({ id: nextSplitId(), op: "read", parents: [], source: { kind: "restored", name }, partitions: [], rows: new Map() }));
  const lin: Lineage = { id: nextSplitId(), op: "restore", parents: sources, partitions: summary.partitions.map(tagFor), rows, ...(phys ? { phys } : {}) };
  adoptLineage(table, lin);
  return lin;
}

/** What the leakage guard needs of the table a transformer was fitted on: its partitions and root rows. */
export type FitSummary = { v: 1; partitions: LineageSummary["partitions"]; rows: { [root: string]: RowsJson } };

/** The summary of a fitted transformer's `fittedOn` lineage, kept beside the stored transformer. */
export function summarizeFit(fittedOn: Lineage): FitSummary {
  return { v: 1, partitions: partitionsJson(fittedOn.partitions), rows: rowsJson(fittedOn.rows) };
}

/**
 * The `fittedOn` lineage of a restored transformer from its summary (undefined when unreadable),
 * so applying it to a test partition whose rows the fit saw is still caught.
 */
export function restoreFit(summary: unknown): Lineage | undefined {
  const s = summary as Partial<FitSummary> | null;
  if (typeof s !== "object" || s === null || s.v !== 1 || !Array.isArray(s.partitions) || typeof s.rows !== "object" || s.rows === null) return undefined;
  const rows = rowsFromJson(s.rows);
  return rows && { id: nextSplitId(), op: "restore", parents: [], partitions: s.partitions.map(tagFor), rows };
}
