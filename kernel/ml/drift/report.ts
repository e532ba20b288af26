// Per-column and dataset drift between a reference and a current table, with Evidently's default tests and thresholds.

import { binEdges, binnedSortedShares, fillZeroes, histogramSorted } from "./binned.js";
import { chi2Counts } from "./chi2.js";
import { jensenShannonShares } from "./jensenShannon.js";
import { kindOf } from "./kind.js";
import { ksSorted } from "./ks.js";
import { psiShares } from "./psi.js";
import { alignedCounts, alignedNumericCounts, distinctSorted, sortedNumbers } from "./values.js";
import { wassersteinSorted } from "./wasserstein.js";
import { zTestCounts } from "./ztest.js";
import { MIME_BUNDLE } from "../display.js";
import { toHTML, toText } from "./render.js";

export type StatTest = "ks" | "chisquare" | "z" | "wasserstein" | "jensenshannon" | "psi";

/** Anything with arquero's column access (a Table), or plain named columns. */
export type Columns = { columnNames(): string[]; array(name: string): ArrayLike<unknown> } | Record<string, ArrayLike<unknown>>;

export interface DriftOptions {
  /** Columns to compare (default: every column present in both, except date-time columns). */
  columns?: string[];
  /** Force a column's kind; by default numbers are "num" and anything else "cat". */
  kinds?: Record<string, "num" | "cat">;
  /** Force a test for every column, or per column. */
  stattest?: StatTest | Record<string, StatTest>;
  /** Threshold for every column or per column (default 0.05 for p-value tests, 0.1 for distances). */
  threshold?: number | Record<string, number>;
  /** Share of drifted columns at which the data set counts as drifted (default 0.5). */
  driftShare?: number;
}

export interface Distribution {
  /** Bin labels: a category, or "[lo, hi)" for numeric bins. */
  bins: string[];
  reference: number[];
  current: number[];
}

export interface ColumnDrift {
  column: string;
  kind: "num" | "cat";
  test: StatTest;
  /** The test statistic (KS D, chi-square, z, or the distance itself). */
  statistic: number;
  /** The p-value, for ks, chisquare and z. */
  pValue?: number;
  /** The value compared with the threshold: the p-value for tests, the distance for distances. */
  score: number;
  threshold: number;
  drifted: boolean;
  referenceRows: number;
  currentRows: number;
  distribution: Distribution;
}

export interface DriftReport {
  columns: ColumnDrift[];
  nDrifted: number;
  /** Share of compared columns that drifted. */
  share: number;
  driftShare: number;
  /** The verdict: share >= driftShare. */
  datasetDrift: boolean;
  referenceRows: number;
  currentRows: number;
}

const P_VALUE_TESTS = new Set<StatTest>(["ks", "chisquare", "z"]);

function names(t: Columns): string[] {
  return typeof t.columnNames === "function" ? (t as { columnNames(): string[] }).columnNames() : Object.keys(t);
}

function column(t: Columns, name: string): ArrayLike<unknown> {
  return typeof t.array === "function" ? (t as { array(n: string): ArrayLike<unknown> }).array(name) : (t as Record<string, ArrayLike<unknown>>)[name];
}

function rowCount(t: Columns): number {
  const n = names(t);
  return n.length ? column(t, n[0]).length : 0;
}

function isDateColumn(values: ArrayLike<unknown>): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) return v instanceof Date;
  }
  return false;
}

/** Evidently's default test: by kind, reference size (<= 1000 rows) and number of distinct values. */
export function defaultTest(kind: "num" | "cat", referenceRows: number, nDistinct: number): StatTest {
  if (referenceRows <= 1000) {
    if (kind === "num" && nDistinct > 5) return "ks";
    return nDistinct > 2 ? "chisquare" : "z";
  }
  return kind === "num" && nDistinct > 5 ? "wasserstein" : "jensenshannon";
}

function fmtBin(lo: number, hi: number, last: boolean): string {
  const f = (x: number) => Number(x.toPrecision(4)).toString();
  return `[${f(lo)}, ${f(hi)}${last ? "]" : ")"}`;
}

function numericDistribution(a: Float64Array, b: Float64Array): Distribution {
  const edges = binEdges(a, b, Math.min(30, Math.max(1, Math.ceil(Math.log2(a.length + b.length) + 1))));
  const ra = histogramSorted(a, edges);
  const rb = histogramSorted(b, edges);
  const bins: string[] = [];
  for (let i = 0; i < ra.length; i++) bins.push(fmtBin(edges[i], edges[i + 1], i === ra.length - 1));
  return { bins, reference: Array.from(ra, (c) => c / a.length), current: Array.from(rb, (c) => c / b.length) };
}

function numericColumn(name: string, a: Float64Array, b: Float64Array, forced: StatTest | undefined): Omit<ColumnDrift, "threshold" | "drifted"> {
  const nDistinct = distinctSorted(a, b);
  const test = forced ?? defaultTest("num", a.length, nDistinct);
  const base = { column: name, kind: "num" as const, test, referenceRows: a.length, currentRows: b.length, distribution: numericDistribution(a, b) };
  switch (test) {
    case "ks": {
      const r = ksSorted(a, b);
      return { ...base, statistic: r.statistic, pValue: r.pValue, score: r.pValue };
    }
    case "wasserstein": {
      const r = wassersteinSorted(a, b);
      return { ...base, statistic: r.normalized, score: r.normalized };
    }
    case "chisquare":
    case "z": {
      const { ref, cur } = alignedNumericCounts(a, b);
      const r = test === "z" ? zTestCounts(ref, cur, a.length, b.length) : chi2Counts(ref, cur, a.length, b.length);
      return { ...base, statistic: r.statistic, pValue: r.pValue, score: r.pValue };
    }
    case "jensenshannon":
    case "psi": {
      const s = binnedSortedShares(a, b, "sturges");
      if (test === "psi") {
        fillZeroes(s.reference);
        fillZeroes(s.current);
        const v = psiShares(s.reference, s.current);
        return { ...base, statistic: v, score: v };
      }
      const v = jensenShannonShares(s.reference, s.current);
      return { ...base, statistic: v, score: v };
    }
  }
}

function categoricalColumn(
  name: string,
  ra: ArrayLike<unknown>,
  rb: ArrayLike<unknown>,
  forced: StatTest | undefined,
): Omit<ColumnDrift, "threshold" | "drifted"> {
  const { keys, ref, cur, nRef, nCur } = alignedCounts(ra, rb);
  if (nRef === 0 || nCur === 0) throw new Error(`drift.report: column "${name}" has no values in the ${nRef === 0 ? "reference" : "current"} data`);
  const test = forced ?? defaultTest("cat", nRef, keys.length);
  const order = keys.map((_, i) => i).sort((x, y) => ref[y] + cur[y] - (ref[x] + cur[x])).slice(0, 30);
  const distribution = {
    bins: order.map((i) => String(keys[i])),
    reference: order.map((i) => ref[i] / nRef),
    current: order.map((i) => cur[i] / nCur),
  };
  const base = { column: name, kind: "cat" as const, test, referenceRows: nRef, currentRows: nCur, distribution };
  if (test === "chisquare" || test === "z") {
    const r = test === "z" ? zTestCounts(ref, cur, nRef, nCur) : chi2Counts(ref, cur, nRef, nCur);
    return { ...base, statistic: r.statistic, pValue: r.pValue, score: r.pValue };
  }
  if (test === "jensenshannon" || test === "psi") {
    const p = Float64Array.from(ref, (c) => c / nRef);
    const q = Float64Array.from(cur, (c) => c / nCur);
    if (test === "psi") {
      fillZeroes(p);
      fillZeroes(q);
      const v = psiShares(p, q);
      return { ...base, statistic: v, score: v };
    }
    const v = jensenShannonShares(p, q);
    return { ...base, statistic: v, score: v };
  }
  throw new Error(`drift.report: test "${test}" needs a numeric column, "${name}" is categorical`);
}

/**
 * Compare `current` with `reference` column by column. Defaults follow Evidently's DataDriftPreset:
 * reference up to 1,000 rows -> KS (numeric) / chi-square (categorical, z-test when binary), p < 0.05;
 * above -> normalised Wasserstein (numeric) / Jensen-Shannon (categorical), distance >= 0.1;
 * the data set drifts when at least half the columns do.
 */
export function report(reference: Columns, current: Columns, opts: DriftOptions = {}): DriftReport {
  const currentNames = new Set(names(current));
  // Like Evidently, date-time columns are not compared unless asked for.
  const cols = opts.columns ?? names(reference).filter((c) => currentNames.has(c) && !isDateColumn(column(reference, c)));
  const results: ColumnDrift[] = [];
  for (const name of cols) {
    if (!names(reference).includes(name)) throw new Error(`drift.report: column "${name}" is not in the reference data`);
    if (!currentNames.has(name)) throw new Error(`drift.report: column "${name}" is not in the current data`);
    const ra = column(reference, name);
    const rb = column(current, name);
    const kind = opts.kinds?.[name] ?? kindOf(ra, rb);
    const forced = typeof opts.stattest === "string" ? opts.stattest : opts.stattest?.[name];
    let r: Omit<ColumnDrift, "threshold" | "drifted">;
    if (kind === "num") {
      const a = sortedNumbers(ra as ArrayLike<number>);
      const b = sortedNumbers(rb as ArrayLike<number>);
      if (a.length === 0 || b.length === 0) throw new Error(`drift.report: column "${name}" has no numeric values in the ${a.length === 0 ? "reference" : "current"} data`);
      r = numericColumn(name, a, b, forced);
    } else {
      r = categoricalColumn(name, ra, rb, forced);
    }
    const isP = P_VALUE_TESTS.has(r.test);
    const threshold = (typeof opts.threshold === "number" ? opts.threshold : opts.threshold?.[name]) ?? (isP ? 0.05 : 0.1);
    const drifted = isP ? r.score < threshold : r.score >= threshold;
    results.push({ ...r, threshold, drifted });
  }
  const nDrifted = results.filter((r) => r.drifted).length;
  const share = results.length ? nDrifted / results.length : 0;
  const driftShare = opts.driftShare ?? 0.5;
  const out: DriftReport = {
    columns: results,
    nDrifted,
    share,
    driftShare,
    datasetDrift: results.length > 0 && share >= driftShare,
    referenceRows: rowCount(reference),
    currentRows: rowCount(current),
  };
  // Shown as the HTML table when a notebook cell ends with a report (not part of its JSON).
  Object.defineProperty(out, MIME_BUNDLE, { value: () => ({ "text/html": toHTML(out), "text/plain": toText(out) }), enumerable: false });
  return out;
}
