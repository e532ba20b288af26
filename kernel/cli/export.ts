// `mlnb export NB.mlnb [-o NB.pipeline.ts]` (pipeline script + lock) or `--to ipynb` (a Jupyter notebook).
import { readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { ExportError } from "../export/plan.js";
import { exportNotebookFiles } from "../export/files.js";
import { toIpynb } from "../export/ipynb.js";
import { NotebookFormatError, parseNotebook } from "../notebook/format.js";
import { writeFileAtomic } from "../notebook/write.js";
import { commandWithFile } from "./args.js";

const HELP = `usage: mlnb export NOTEBOOK.mlnb [-o OUT] [--to script|ipynb] [--allow-outside]

  --to script   (default) a TypeScript pipeline script NOTEBOOK.pipeline.ts and its lock
                NOTEBOOK.pipeline.lock.json (input hashes, params, seed, versions, expected
                output hashes from the notebook's last successful run); run it with
                npx mlnb script NOTEBOOK.pipeline.ts [--verify]
  --to ipynb    a Jupyter notebook (nbformat 4.5) NOTEBOOK.ipynb, magics and outputs kept
  -o, --out F   where to write
  --allow-outside  hash input files outside the notebook's folder too (refused by default,
                as are FIFOs, devices and folders: an untrusted notebook cannot make export
                read /etc/passwd or hang on a pipe)`;

/** Entry point of `mlnb export`. */
export async function main(argv: string[]): Promise<number> {
  const cmd = commandWithFile("export", HELP, argv, ["out", "to"]);
  if (typeof cmd === "number") return cmd;
  const { args, file } = cmd;
  const to = args.values.get("to") ?? "script";
  const out = args.values.get("out");
  try {
    if (to === "ipynb") {
      const path = resolve(file);
      const nb = parseNotebook(readFileSync(path, "utf8"), file);
      const target = out ?? join(dirname(path), `${basename(path, ".mlnb")}.ipynb`);
      writeFileAtomic(target, toIpynb(nb));
      console.log(`wrote ${target}`);
      return 0;
    }
    if (to !== "script") return console.error(`mlnb export: --to must be script or ipynb, got ${to}`), 2;
    const result = await exportNotebookFiles(file, out, { allowOutside: args.flags.has("allow-outside") });
    for (const w of result.warnings) console.error(`warning: ${w}`);
    console.log(`wrote ${result.script}\nwrote ${result.lock}\nrun it: npx mlnb script ${result.script} --verify`);
    return 0;
  } catch (e) {
    if (e instanceof ExportError) return console.error(`mlnb export: ${file} cannot be exported:\n${e.message}`), 1;
    if (e instanceof NotebookFormatError) return console.error(`mlnb export: ${e.message}`), 1;
    throw e;
  }
}
