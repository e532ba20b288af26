// `mlnb export NB.mlnb [-o NB.pipeline.ts]` (pipeline script + lock) or `--to ipynb` (a Jupyter notebook).
import { readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { ExportError } from "../export/plan.js";
import { exportNotebookFiles } from "../export/files.js";
import { toIpynb } from "../export/ipynb.js";
import { NotebookFormatError, parseNotebook } from "../notebook/format.js";
import { writeFileAtomic } from "../notebook/write.js";
import { defineCommand, startCommand, usageError } from "./args.js";

const SPEC = defineCommand({
  command: "export",
  usage: ["mlnb export NOTEBOOK.mlnb [-o OUT] [--to script|ipynb]"],
  about: `--to script (default) writes a TypeScript pipeline script NOTEBOOK.pipeline.ts and its lock
NOTEBOOK.pipeline.lock.json (input hashes, params, seed, versions, expected output hashes from the
notebook's last successful run); run it with npx mlnb script NOTEBOOK.pipeline.ts [--verify].
--to ipynb writes a Jupyter notebook (nbformat 4.5) NOTEBOOK.ipynb, magics and outputs kept.`,
  options: {
    to: { type: "string", arg: "FORMAT", help: "script (default) or ipynb" },
    out: { type: "string", short: "o", arg: "FILE", help: "where to write" },
  },
  positionals: { min: 1, max: 1, what: "notebook" },
});

/** Entry point of `mlnb export`. */
export async function main(argv: string[]): Promise<number> {
  const args = startCommand(SPEC, argv);
  if (typeof args === "number") return args;
  const file = args.positionals[0]!;
  const to = args.values.to ?? "script";
  const out = args.values.out;
  try {
    if (to === "ipynb") {
      const path = resolve(file);
      const nb = parseNotebook(readFileSync(path, "utf8"), file);
      const target = out ?? join(dirname(path), `${basename(path, ".mlnb")}.ipynb`);
      writeFileAtomic(target, toIpynb(nb));
      console.log(`wrote ${target}`);
      return 0;
    }
    if (to !== "script") return usageError(SPEC, `--to must be script or ipynb, got ${to}`);
    const result = await exportNotebookFiles(file, out);
    for (const w of result.warnings) console.error(`warning: ${w}`);
    console.log(`wrote ${result.script}\nwrote ${result.lock}\nrun it: npx mlnb script ${result.script} --verify`);
    return 0;
  } catch (e) {
    if (e instanceof ExportError) return console.error(`mlnb export: ${file} cannot be exported:\n${e.message}`), 1;
    if (e instanceof NotebookFormatError) return console.error(`mlnb export: ${e.message}`), 1;
    throw e;
  }
}
