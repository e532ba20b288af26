// `mlnb import NB.ipynb [-o NB.mlnb]`: a Jupyter notebook as an .mlnb notebook.
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fromIpynb, IpynbError } from "../export/ipynb.js";
import { serializeNotebook } from "../notebook/format.js";
import { writeFileAtomic } from "../notebook/write.js";
import { commandWithFile } from "./args.js";

const HELP = "usage: mlnb import NOTEBOOK.ipynb [-o OUT.mlnb] [--force]\n\nWrites NOTEBOOK.mlnb beside it (cells, magics and outputs kept); --force overwrites.";

/** Entry point of `mlnb import`. */
export async function main(argv: string[]): Promise<number> {
  const cmd = commandWithFile("import", HELP, argv, ["out"]);
  if (typeof cmd === "number") return cmd;
  const { args, file } = cmd;
  const path = resolve(file);
  const target = args.values.get("out") ?? join(dirname(path), `${basename(path, ".ipynb")}.mlnb`);
  if (existsSync(target) && !args.flags.has("force")) return console.error(`mlnb import: ${target} exists (--force overwrites it)`), 1;
  try {
    const nb = fromIpynb(readFileSync(path, "utf8"), file);
    writeFileAtomic(target, serializeNotebook(nb));
    console.log(`wrote ${target}`);
    return 0;
  } catch (e) {
    if (e instanceof IpynbError) return console.error(`mlnb import: ${e.message}`), 1;
    throw e;
  }
}
