// Lists the notebooks of a folder: .mlnb files, not executed copies (.out.mlnb) or the run store (.mlnb/).
import { readdirSync } from "node:fs";

/** File names of the notebooks in `dir`, sorted (a missing folder has none). */
export function listNotebooks(dir: string | URL): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".mlnb") && !e.name.endsWith(".out.mlnb") && !e.name.startsWith("."))
    .map((e) => e.name)
    .sort();
}
