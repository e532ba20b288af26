// Writing a table to a file by its extension (.csv, .json, .parquet) or CSV text, atomically (temp file, then rename).
import { rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ColumnTable } from "arquero";

/** The formats a table can be written as, by file extension. */
export const OUTPUT_FORMATS = ["csv", "json", "parquet"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The format of an output path, or an error naming the extensions known. */
export function outputFormat(file: string): OutputFormat {
  const ext = path.extname(file).slice(1).toLowerCase();
  if (!(OUTPUT_FORMATS as readonly string[]).includes(ext)) throw new Error(`cannot write "${file}": unknown extension ".${ext}" (known: ${OUTPUT_FORMATS.map((f) => `.${f}`).join(", ")})`);
  return ext as OutputFormat;
}

function csvField(v: unknown): string {
  if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) return "";
  const s = v instanceof Date ? v.toISOString() : String(v);
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV: a header line, then one line per row; dates as ISO 8601, missing values empty. */
export function toCsv(table: ColumnTable): string {
  const names = table.columnNames();
  const cols = names.map((c) => table.array(c) as ArrayLike<unknown>);
  const lines = [names.map(csvField).join(",")];
  for (let i = 0; i < table.numRows(); i++) lines.push(cols.map((c) => csvField(c[i])).join(","));
  return `${lines.join("\n")}\n`;
}

function toJson(table: ColumnTable): string {
  const names = table.columnNames();
  const cols = names.map((c) => table.array(c) as ArrayLike<unknown>);
  const lines: string[] = [];
  for (let i = 0; i < table.numRows(); i++) {
    const rec: Record<string, unknown> = {};
    names.forEach((n, j) => {
      const v = cols[j][i];
      rec[n] = v === undefined || (typeof v === "number" && !Number.isFinite(v)) ? null : v;
    });
    lines.push(JSON.stringify(rec));
  }
  return `[\n${lines.join(",\n")}\n]\n`;
}

async function toParquet(table: ColumnTable): Promise<Uint8Array> {
  const { parquetWriteBuffer } = await import("hyparquet-writer");
  const columnData = table.columnNames().map((name) => {
    const values = Array.from(table.array(name) as ArrayLike<unknown>, (v) => (v === undefined || (typeof v === "number" && Number.isNaN(v)) ? null : v));
    const kinds = new Set(values.filter((v) => v !== null).map((v) => (v instanceof Date ? "date" : typeof v)));
    if (kinds.size > 1) throw new Error(`cannot write column "${name}" as Parquet: it mixes ${[...kinds].join(" and ")} values`);
    const kind = [...kinds][0] ?? "number";
    const type = kind === "number" ? "DOUBLE" : kind === "string" ? "STRING" : kind === "boolean" ? "BOOLEAN" : kind === "date" ? "TIMESTAMP" : null;
    if (!type) throw new Error(`cannot write column "${name}" as Parquet: ${kind} values`);
    return { name, data: values as never, type: type as "DOUBLE" };
  });
  return new Uint8Array(parquetWriteBuffer({ columnData }));
}

/** Write `table` to `file` in the format its extension names; a reader never sees a half-written file. */
export async function writeTable(file: string, table: ColumnTable): Promise<void> {
  const format = outputFormat(file);
  const body = format === "csv" ? toCsv(table) : format === "json" ? toJson(table) : await toParquet(table);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}`);
  try {
    await writeFile(tmp, body, { flag: "wx" });
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
