// read.parquet: a Parquet file into a table via hyparquet (+ its zstd/gzip/brotli compressors), assembled column by column (no row objects).
import * as aq from "arquero";
import type { ColumnTable } from "arquero";
import { ReadError } from "./errors.js";
import { finishFile, loadFile } from "./source.js";
import { readProgress } from "./progress.js";

export interface ParquetOptions {
  /** Columns to read (all by default). */
  columns?: string[];
  /** Row range [rowStart, rowEnd) to read. */
  rowStart?: number;
  rowEnd?: number;
}

/**
 * Read a Parquet file. INT64 values become numbers (exact up to 2^53), timestamps Dates.
 * Records the file and its sha256.
 */
export async function readParquet(path: string, options: ParquetOptions = {}): Promise<ColumnTable> {
  // Loaded here, not at import (about 40 modules): a notebook that reads no Parquet does not pay for them.
  const [{ parquetMetadata, parquetRead }, { compressors }] = await Promise.all([import("hyparquet"), import("hyparquet-compressors")]);
  const { bytes, sha256, shown } = await loadFile(path);
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
  let metadata;
  try {
    metadata = parquetMetadata(file);
  } catch (e) {
    throw new ReadError(shown, `not a valid Parquet file: ${(e as Error).message}`, undefined, undefined, { cause: e });
  }
  const total = Number(metadata.num_rows);
  const rowStart = options.rowStart ?? 0;
  const rowEnd = Math.min(options.rowEnd ?? total, total);
  const n = Math.max(0, rowEnd - rowStart);
  const names = options.columns ?? metadata.schema.slice(1).filter((s) => !s.num_children).map((s) => s.name);
  const columns = new Map<string, unknown[]>(names.map((c) => [c, new Array<unknown>(n)]));
  const progress = readProgress("read.parquet", shown, bytes.length);
  let rowsDone = 0;
  try {
    await parquetRead({
      file, metadata, columns: options.columns, rowStart, rowEnd, compressors,
      onChunk({ columnName, columnData, rowStart: from, rowEnd: to }) {
        const out = columns.get(columnName);
        if (!out) return;
        // row groups arrive column by column: a group's rows count once its last column is in
        if (columnName === names[names.length - 1]) progress.update(undefined, (rowsDone = Math.max(rowsDone, Math.min(to, rowEnd) - rowStart)));
        for (let r = Math.max(from, rowStart); r < Math.min(to, rowEnd); r++) {
          const v = columnData[r - from];
          out[r - rowStart] = typeof v === "bigint" ? Number(v) : v;
        }
      },
    });
  } catch (e) {
    throw new ReadError(shown, `cannot decode Parquet: ${(e as Error).message}`, undefined, undefined, { cause: e });
  }
  progress.done(n);
  const data: Record<string, unknown[]> = {};
  for (const [name, values] of columns) data[name] = values;
  return finishFile(aq.table(data), path, "parquet", sha256, bytes.length);
}
