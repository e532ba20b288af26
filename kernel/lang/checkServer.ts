// Serves kernels' cell type checks from the language server process over a Unix socket: one TypeScript per window, the libraries parsed once.
//
// The extension gives the language server and the kernels it starts the same socket path
// (MLNB_CHECK_SOCKET). A kernel connects first thing (kernel/exec/checkerPrestart.ts) and sends the
// checker thread's requests as JSON lines; each connection gets a CellTypeChecker of its own whose
// language service shares the notebook's IntelliSense document registry, so the library files
// IntelliSense already parsed and bound are not parsed again, and the first check of a new kernel
// costs a check, not a TypeScript start. A kernel that cannot connect checks on its own thread.
import { rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { dirname } from "node:path";
import type * as TS from "typescript";
import { afterAnswer, answerCheck } from "../exec/checkAnswer.js";
import type { CheckRequest } from "../exec/checker.js";
import { CellTypeChecker } from "../exec/typecheck.js";
import { LineDecoder } from "../protocol.js";
import type { SharedDocuments } from "./host.js";

/** Listen on `path` for kernels' checks; `documentsFor` gives the registry of a notebook's IntelliSense. */
export function serveChecks(path: string, ts: () => typeof TS, documentsFor: (notebookPath: string) => SharedDocuments, log: (message: string) => void): Server {
  rmSync(path, { force: true }); // a socket file left by a language server that was killed
  const server = createServer((socket) => answerKernel(socket, ts, documentsFor, log));
  server.on("error", (e) => log(`kernel checks: cannot listen on ${path}: ${e.message}`));
  server.listen(path);
  server.unref();
  return server;
}

/** Answer one kernel's requests on `socket` with a checker of its own over the registry `documentsFor` gives (the language server's, the daemon's); `release` it when the kernel goes. */
export function answerKernel(
  socket: Socket,
  ts: () => typeof TS,
  documentsFor: (notebookPath: string) => SharedDocuments,
  log: (message: string) => void,
  release: (checker: CellTypeChecker) => void = (checker) => checker.dispose(),
): void {
  let checker: CellTypeChecker | undefined;
  let notebookDir = "";
  const reply = (value: unknown) => socket.write(JSON.stringify(value) + "\n");
  const decoder = new LineDecoder<CheckRequest & { notebookPath?: string }>(
    (req) => {
      if (!checker) {
        // The first request names the kernel's notebook: its checker shares that notebook's parsed files.
        if (req.op !== "init" || !req.notebookPath) return void socket.destroy(new Error("the first request must be init with the notebook's path"));
        notebookDir = dirname(req.notebookPath);
        try {
          checker = new CellTypeChecker(ts(), notebookDir, undefined, documentsFor(req.notebookPath));
        } catch (e) {
          log(`kernel checks: ${(e as Error).message}`);
          return void socket.destroy();
        }
      }
      reply(answerCheck(checker, notebookDir, req));
      afterAnswer(checker, req);
    },
    (line) => log(`kernel checks: ignored a request that is not JSON: ${line.slice(0, 200)}`),
  );
  socket.on("data", (chunk) => decoder.push(chunk));
  socket.on("error", () => socket.destroy());
  socket.on("close", () => checker && release(checker));
}
