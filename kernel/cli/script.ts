// `mlnb script NB.pipeline.ts [...]`: run an exported pipeline script (see kernel/pipeline/run.ts for its options).
import { existsSync } from "node:fs";
import { loadScript } from "../pipeline/load.js";
import { SCRIPT_SPEC } from "../pipeline/run.js";
import { helpText, usageError } from "./args.js";

/** Entry point of `mlnb script`. */
export async function main(argv: string[]): Promise<number> {
  const [file, ...rest] = argv;
  if (!file || file === "--help" || file === "-h") {
    if (!file) return usageError(SCRIPT_SPEC, "which pipeline script? give it as the first argument");
    console.log(helpText(SCRIPT_SPEC));
    return 0;
  }
  if (!existsSync(file)) {
    console.error(`mlnb script: ${file}: no such file`);
    return 1;
  }
  const mod = await loadScript(file);
  return mod.main(rest);
}
