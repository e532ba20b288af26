// The `mlnb` command line: dispatches `mlnb <command>` to kernel/cli/<command>.ts.
import { readFileSync } from "node:fs";
import { closest } from "./magics/suggest.js";
import { mark } from "./runtime/trace.js";

/** Subcommands and one line of help each; each lives in kernel/cli/<name>.ts exporting `main(argv)`. */
export const COMMANDS: Record<string, string> = {
  run: "run every cell of a notebook headless: mlnb run NB.mlnb [--out EXECUTED.mlnb] [-p k=v] [--no-cache]",
  runs: "list runs of a notebook with params and metrics; `mlnb runs diff A B` compares two",
  gc: "free the run store: keep the newest runs and every run a lock names, remove other runs' blobs: mlnb gc [PATH] [--keep N] [--dry-run]",
  export: "export a notebook as a pipeline script + lock (or --to ipynb)",
  import: "import a Jupyter .ipynb as an .mlnb notebook",
  script: "run an exported pipeline script: mlnb script NB.pipeline.ts [--verify]",
  serve: "serve a model bundle over HTTP: mlnb serve BUNDLE [--port 8080]",
  predict: "score a data file with a model bundle: mlnb predict BUNDLE DATA.(csv|parquet|json) [-o OUT]",
  drift: "compare two data sets for drift: mlnb drift --reference A --current B",
  daemon: "the checker daemon kernels share outside VS Code: mlnb daemon [status | stop]",
  jupyter: "install the Jupyter kernelspec: mlnb jupyter install [--user | --sys-prefix | --prefix DIR]; or uninstall",
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    `mlnb ${version()}: machine-learning pipeline notebooks`,
    "",
    "usage: mlnb <command> [options]   (mlnb <command> --help for its options)",
    "exit codes: 0 ok, 1 failure, 2 usage error",
    "",
    ...Object.entries(COMMANDS).map(([c, d]) => `  ${c.padEnd(width)}  ${d}`),
  ].join("\n");
}

/** Entry point; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  mark("cli: started");
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "-h" || command === "help") {
    console.log(usage());
    return command ? 0 : 2;
  }
  if (command === "--version" || command === "-v") {
    console.log(version());
    return 0;
  }
  if (!(command in COMMANDS)) {
    const guess = closest(command, Object.keys(COMMANDS));
    console.error(`mlnb: unknown command "${command}"${guess ? `; did you mean ${guess}?` : ""}\n\n${usage()}`);
    return 2;
  }
  // `mlnb run` spawns its kernel before loading the rest of itself: the two Node starts overlap (cli/runKernel.ts).
  const run = command === "run" ? await import("./cli/runKernel.js") : undefined;
  run?.prestartRunKernel(rest);
  const mod = (await import(`./cli/${command}.js`)) as { main(argv: string[]): Promise<number> };
  mark(`cli: ${command} loaded`);
  try {
    return await mod.main(rest);
  } catch (e) {
    // A kernel or a store that cannot start here says what to install, in one message without a stack.
    if (!(e instanceof Error) || !["KernelStartError", "SqliteUnavailable"].includes(e.name)) throw e;
    console.error(`mlnb ${command}: ${e.message}`);
    return 1;
  } finally {
    run?.discardPrestartedKernel();
  }
}
