// Benchmark: a 1,000,000-row table in a cell output: what the live table ships and how fast pages come, vs shipping every row.
//
// Compared: mlnb's payload (schema + first page + ref; the kernel keeps the table) against the JSON
// of every row, which a renderer without paging would need. Medians of 5 runs.
import * as aq from "arquero";
import { liveTablePayload, tablePage } from "../kernel/views/tableRegistry.js";

const N = 1_000_000;
const RUNS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time<T>(f: () => T): { ms: number; value: T } {
  const t = performance.now();
  const value = f();
  return { ms: performance.now() - t, value };
}

/** Print the table. */
export async function run(): Promise<void> {
  const species = ["Adelie", "Chinstrap", "Gentoo"];
  const t = aq.table({
    id: Array.from({ length: N }, (_, i) => i),
    species: Array.from({ length: N }, (_, i) => species[i % 3]),
    mass: Array.from({ length: N }, (_, i) => (i % 50 === 0 ? null : 2700 + ((i * 7919) % 3600))),
    flipper: Float64Array.from({ length: N }, (_, i) => 170 + ((i * 104729) % 600) / 10),
  });
  const rows: Record<string, number[]> = { payload: [], page: [], sortFirst: [], sortNext: [], full: [] };
  let payloadBytes = 0;
  let fullBytes = 0;
  for (let r = 0; r < RUNS; r++) {
    const p = time(() => JSON.stringify(liveTablePayload(t)));
    rows.payload!.push(p.ms);
    payloadBytes = p.value.length;
    const ref = (JSON.parse(p.value) as { ref: string }).ref;
    rows.page!.push(time(() => tablePage(ref, { offset: 500_000, limit: 25 })).ms);
    rows.sortFirst!.push(time(() => tablePage(ref, { offset: 0, limit: 25, sort: { column: "mass", descending: true } })).ms);
    rows.sortNext!.push(time(() => tablePage(ref, { offset: 25, limit: 25, sort: { column: "mass", descending: true } })).ms);
    if (r < 2) {
      const f = time(() => JSON.stringify(t.objects()));
      rows.full!.push(f.ms);
      fullBytes = f.value.length;
    }
  }
  const mb = (b: number) => `${(b / 1e6).toFixed(2)} MB`;
  console.log(`\n## Live tables: a ${N.toLocaleString("en-US")}-row, 4-column arquero table in a cell output (median of ${RUNS})\n`);
  console.log("| step | time | bytes to the renderer |");
  console.log("|---|---:|---:|");
  console.log(`| mlnb output payload (column types + null counts over all rows, first page, ref) | ${median(rows.payload!).toFixed(1)} ms | ${(payloadBytes / 1000).toFixed(1)} kB |`);
  console.log(`| a page from the middle (kernel) | ${median(rows.page!).toFixed(2)} ms | one page |`);
  console.log(`| first page sorted by a column (sorts 1M rows) | ${median(rows.sortFirst!).toFixed(1)} ms | one page |`);
  console.log(`| next sorted page (sort order kept) | ${median(rows.sortNext!).toFixed(2)} ms | one page |`);
  console.log(`| comparison: every row as JSON (no paging) | ${median(rows.full!).toFixed(1)} ms | ${mb(fullBytes)} |`);
  console.log(`\nratio of bytes shipped, every row / mlnb payload: ${Math.round(fullBytes / payloadBytes).toLocaleString("en-US")}x`);
}
