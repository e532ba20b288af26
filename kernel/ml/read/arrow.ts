// read.arrow: an Arrow IPC file or stream into a table (arquero's fromArrow, backed by flechette).
import { fromArrow } from "arquero";
import type { ColumnTable } from "arquero";
import { ReadError } from "./errors.js";
import { finishFile, loadFile } from "./source.js";

/** Read an Arrow IPC (file or stream format) file. Records the file and its sha256. */
export async function readArrow(path: string): Promise<ColumnTable> {
  const { bytes, sha256, shown } = await loadFile(path);
  let table: ColumnTable;
  try {
    table = fromArrow(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length)) as ColumnTable;
  } catch (e) {
    throw new ReadError(shown, `not a valid Arrow IPC file: ${(e as Error).message}`, undefined, undefined, { cause: e });
  }
  return finishFile(table, path, "arrow", sha256, bytes.length);
}
