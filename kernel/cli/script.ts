// `mlnb script NB.pipeline.ts [...]`: run an exported pipeline script (see kernel/pipeline/run.ts for its options).
import { existsSync } from "node:fs";
import { loadScript } from "../pipeline/load.js";

/** Entry point of `mlnb script`. */
export async function main(argv: string[]): Promise<number> {
  const [file, ...rest] = argv;
  if (!file || file === "--help" || file === "-h") {
    console.log("usage: mlnb script NB.pipeline.ts [-p k=v] [--stage S] [--from S] [--to S] [--verify] [--accept-changed-inputs]\n(mlnb script NB.pipeline.ts --help for details)");
    return file ? 0 : 2;
  }
  if (!existsSync(file)) {
    console.error(`mlnb script: ${file}: no such file`);
    return 1;
  }
  const mod = await loadScript(file);
  return mod.main(rest);
}
