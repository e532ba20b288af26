// `mlnb import NB.ipynb [-o NB.mlnb]`: a Jupyter notebook as an .mlnb notebook.
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fromIpynb, IpynbError } from "../export/ipynb.js";
import { serializeNotebook } from "../notebook/format.js";
import { writeFileAtomic } from "../notebook/write.js";
import { parseArgs, UsageError } from "./args.js";

const HELP = "usage: mlnb import NOTEBOOK.ipynb [-o OUT.mlnb] [--force]\n\nWrites NOTEBOOK.mlnb beside it (cells, magics and outputs kept); --force overwrites.";

/** Entry point of `mlnb import`. */
export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs(argv, ["out"]);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`mlnb import: ${e.message}\n\n${HELP}`);
    return 2;
  }
  if (args.flags.has("help")) return console.log(HELP), 0;
  const [file, ...extra] = args.positionals;
  if (!file || extra.length) return console.error(`mlnb import: ${file ? `unexpected argument ${extra[0]}` : "which notebook?"}\n\n${HELP}`), 2;
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
