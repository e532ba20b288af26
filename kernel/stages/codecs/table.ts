// arquero tables <-> Arrow IPC (stream format) via arquero's toArrowIPC / fromArrow.
import type * as aq from "arquero";
import type { Codec, CodecOutput } from "./types.js";
import { chunkedPart } from "./chunks.js";

type Table = aq.ColumnTable;
type Libraries = { aq: typeof aq; flechette: typeof import("@uwdata/flechette"); arrow: typeof import("./arrowStrings.js") };

// arquero (about 170 modules) and flechette load when a table is first encoded or decoded, not
// with the kernel's stage machinery: a first cell that stores no table does not wait for them.
let libraries: Promise<Libraries> | undefined;
let loaded: Libraries | undefined;
const load = (): Promise<Libraries> =>
  (libraries ??= Promise.all([import("arquero"), import("@uwdata/flechette"), import("./arrowStrings.js")]).then(([aq, flechette, arrow]) => (loaded = { aq, flechette, arrow })));

function isTable(value: unknown): value is Table {
  if (loaded && value instanceof loaded.aq.Table) return true;
  // Before arquero is loaded here, or from a second copy of arquero (another node_modules): tables of the same shape.
  const v = value as Partial<Record<"numRows" | "numCols" | "columnNames" | "scan" | "reify", unknown>> | null;
  return typeof v === "object" && v !== null && [v.numRows, v.numCols, v.columnNames, v.scan, v.reify].every((f) => typeof f === "function");
}

const SAMPLE = 10_000;

/**
 * Arrow types for string columns whose values are mostly distinct (ids, free text): plain utf8.
 * arquero infers a dictionary for every string column, which costs a hash lookup per value and
 * is 3-4x slower to build for a million distinct strings; low-cardinality columns keep it.
 * Decided from the first rows only, so the choice (and the hash) depends on the data alone.
 */
function stringTypes(table: Table, utf8: Libraries["flechette"]["utf8"]): Record<string, ReturnType<typeof utf8>> {
  const types: Record<string, ReturnType<typeof utf8>> = {};
  const rows = Math.min(table.numRows(), SAMPLE);
  if (rows < 100) return types;
  const data = table.data() as Record<string, unknown>;
  for (const name of table.columnNames()) {
    // a typed array holds no strings
    if (ArrayBuffer.isView(data[name])) continue;
    const get = table.getter(name);
    const seen = new Set<string>();
    let strings = 0;
    for (let i = 0; i < rows; i++) {
      const v = get(i);
      if (typeof v === "string") {
        strings++;
        seen.add(v);
      } else if (v !== null && v !== undefined) {
        strings = -1;
        break;
      }
    }
    if (strings > 0 && seen.size > strings / 2) types[name] = utf8();
  }
  return types;
}

/**
 * Tables are stored as Arrow IPC. Filters and row order are applied (the stored table holds
 * the visible rows in order); groupings are kept by name and restored with `groupby`.
 */
export const tableCodec: Codec<Table> = {
  kind: "table",
  accepts: isTable,
  async encode(table): Promise<CodecOutput> {
    const { flechette, arrow } = await load();
    const groups = table.isGrouped() ? [...(table.groups() as { names: string[] }).names] : [];
    // the bytes of aq.toArrowIPC(table, { format: "stream", types }), string columns built in bulk
    // kept as the encoder's pieces: hashed and written one by one, joined only if asked for bytes
    const chunks = arrow.tableToArrowChunks(table, stringTypes(table, flechette.utf8));
    return {
      shape: `${table.numRows()}×${table.numCols()}`,
      parts: [chunkedPart("table.arrow", chunks)],
      meta: groups.length ? { groupby: groups } : {},
    };
  },
  async decode(parts, meta) {
    const bytes = parts.get("table.arrow");
    if (!bytes) throw new Error("table codec: missing part table.arrow");
    const table = (await load()).aq.fromArrow(bytes);
    const groupby = meta.groupby as string[] | undefined;
    return groupby?.length ? (table.groupby(...groupby) as Table) : table;
  },
};
