// `mlnb import NB.ipynb [-o NB.mlnb]`: a Jupyter notebook as an .mlnb notebook.
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fromIpynb, IpynbError } from "../export/ipynb.js";
import { serializeNotebook } from "../notebook/format.js";
import { writeFileAtomic } from "../notebook/write.js";
import { commandWithFile } from "./args.js";

const HELP = `usage: mlnb import NOTEBOOK.ipynb [-o OUT.mlnb] [--force]

Writes NOTEBOOK.mlnb beside it: cells, magics, outputs, cell ids, raw cells, attachments and
the notebook's metadata are kept, so \`mlnb export --to ipynb\` gives them back. A code cell
tagged "parameters" (papermill) becomes a %%params cell.

  --force   overwrite OUT.mlnb, and import a notebook written in another language than
            TypeScript or JavaScript (refused otherwise; its cells keep their language)`;

/** Entry point of `mlnb import`. */
export async function main(argv: string[]): Promise<number> {
  const cmd = commandWithFile("import", HELP, argv, ["out"]);
  if (typeof cmd === "number") return cmd;
  const { args, file } = cmd;
  const path = resolve(file);
  const target = args.values.get("out") ?? join(dirname(path), `${basename(path, ".ipynb")}.mlnb`);
  if (existsSync(target) && !args.flags.has("force")) return console.error(`mlnb import: ${target} exists (--force overwrites it)`), 1;
  try {
    const nb = fromIpynb(readFileSync(path, "utf8"), file, { force: args.flags.has("force") });
    writeFileAtomic(target, serializeNotebook(nb));
    console.log(`wrote ${target}`);
    return 0;
  } catch (e) {
    if (e instanceof IpynbError) return console.error(`mlnb import: ${e.message}`), 1;
    throw e;
  }
}
