// `mlnb import NB.ipynb [-o NB.mlnb]`: a Jupyter notebook as an .mlnb notebook.
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fromIpynb, IpynbError } from "../export/ipynb.js";
import { serializeNotebook } from "../notebook/format.js";
import { writeFileAtomic } from "../notebook/write.js";
import { defineCommand, startCommand } from "./args.js";

const SPEC = defineCommand({
  command: "import",
  usage: ["mlnb import NOTEBOOK.ipynb [-o OUT.mlnb] [--force]"],
  about:
    "Writes NOTEBOOK.mlnb beside it: cells, magics, outputs, cell ids, raw cells, attachments and the notebook's metadata are kept, so `mlnb export --to ipynb` gives them back. A code cell tagged \"parameters\" (papermill) becomes a %%params cell.",
  options: {
    out: { type: "string", short: "o", arg: "FILE", help: "where to write (default: NOTEBOOK.mlnb beside it)" },
    force: { type: "boolean", help: "overwrite OUT.mlnb, and import a notebook in another language than TypeScript or JavaScript (refused otherwise)" },
  },
  positionals: { min: 1, max: 1, what: "notebook" },
});

/** Entry point of `mlnb import`. */
export async function main(argv: string[]): Promise<number> {
  const args = startCommand(SPEC, argv);
  if (typeof args === "number") return args;
  const file = args.positionals[0]!;
  const path = resolve(file);
  const target = args.values.out ?? join(dirname(path), `${basename(path, ".ipynb")}.mlnb`);
  if (existsSync(target) && args.values.force !== true) return console.error(`mlnb import: ${target} exists (--force overwrites it)`), 1;
  try {
    const nb = fromIpynb(readFileSync(path, "utf8"), file, { force: args.values.force === true });
    writeFileAtomic(target, serializeNotebook(nb));
    console.log(`wrote ${target}`);
    return 0;
  } catch (e) {
    if (e instanceof IpynbError) return console.error(`mlnb import: ${e.message}`), 1;
    throw e;
  }
}
