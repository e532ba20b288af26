// Writes the example notebooks (notebooks/*.mlnb) from their cell lists: `npm run build && node scripts/notebooks/build.mjs [name...]`.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writeNotebook } from "./cells.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const notebooks = path.join(here, "..", "..", "notebooks");
const names = process.argv.slice(2);
for (const name of names.length ? names : ["penguins", "cars", "seattle-weather"]) {
  const { cells } = await import(`./${name}.mjs`);
  writeNotebook(path.join(notebooks, `${name}.mlnb`), cells);
  console.log(`wrote notebooks/${name}.mlnb (${cells.length} cells)`);
}
