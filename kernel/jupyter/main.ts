// Process entry of mlnb's Jupyter kernel: `node out/kernel/jupyter/main.js -f CONNECTION_FILE` (the kernelspec's argv).
//
// The session's type checker starts first (a thread of this process, kernel/exec/checkHost.ts), so
// TypeScript loads while this process loads ZeroMQ and the front end, and Jupyter connects.
import { dirname } from "node:path";
import { hostChecker, wantsChecker } from "../exec/checkHost.js";
import { notebookPathFor } from "./notebookPath.js";
import { dropAddedHugePages } from "../runtime/hugePages.js";

dropAddedHugePages();

async function main(argv: string[]): Promise<number> {
  const at = argv.findIndex((a) => a === "-f" || a === "--connection-file");
  const file = at >= 0 ? argv[at + 1] : argv.find((a) => a.endsWith(".json"));
  if (!file) {
    process.stderr.write("usage: mlnb-jupyter -f CONNECTION_FILE (Jupyter starts it from the kernelspec; see mlnb jupyter install)\n");
    return 2;
  }
  const notebookPath = notebookPathFor(process.env, process.cwd());
  const checkHost = wantsChecker(process.env) ? hostChecker(dirname(notebookPath)) : undefined;
  const { ConnectionError, readConnectionFile } = await import("./connection.js");
  const { JupyterFrontend } = await import("./frontend.js");
  let connection;
  try {
    connection = readConnectionFile(file);
  } catch (e) {
    if (e instanceof ConnectionError) {
      process.stderr.write(`mlnb jupyter: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  const frontend = await JupyterFrontend.start({
    connection,
    notebookPath,
    ...(checkHost ? { checkHost } : {}),
    onShutdown: () => process.exit(0),
  });
  // interrupt_mode "message" is what the kernelspec states; SIGINT works too (a terminal's Ctrl-C, signal-mode clients).
  process.on("SIGINT", () => void frontend.interrupt());
  process.on("SIGTERM", () => process.exit(0));
  // As ipykernel does: when the client that started us dies without a shutdown, do not linger.
  const parent = process.ppid;
  if (process.env.JPY_PARENT_PID) {
    setInterval(() => {
      if (process.ppid !== parent) void frontend.close().finally(() => process.exit(0));
    }, 1000).unref();
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code) process.exit(code);
  },
  (e: Error) => {
    process.stderr.write(`mlnb jupyter: ${e.stack ?? e.message}\n`);
    process.exit(1);
  },
);
