// Starts the notebook language server process (kernel/lang/server.ts) outside VS Code, as the extension does: for tests and benches.
import { spawn, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { LangCell } from "./document.js";

const SERVER = join(dirname(fileURLToPath(import.meta.url)), "server.js");

export interface LaunchedLanguageServer {
  child: ChildProcess;
  /** Open (or update) a notebook's cells and resolve once its problems were published: TypeScript is warm then. */
  open(notebookPath: string, cells: LangCell[]): Promise<void>;
  close(): void;
}

/** Start the language server; with `checkSocket` it also serves kernels' type checks there. */
export function launchLanguageServer(checkSocket?: string): LaunchedLanguageServer {
  const child = spawn(process.execPath, [SERVER], { env: { ...process.env, ...(checkSocket ? { MLNB_CHECK_SOCKET: checkSocket } : {}) }, stdio: ["pipe", "pipe", "inherit"] });
  let out = "";
  const waiting: { notebook: string; done: () => void }[] = [];
  child.stdout!.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    let nl: number;
    while ((nl = out.indexOf("\n")) >= 0) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      const reply = JSON.parse(line) as { type: string; notebook?: string };
      if (reply.type !== "diagnostics") continue;
      for (const w of waiting.filter((x) => x.notebook === reply.notebook)) waiting.splice(waiting.indexOf(w), 1), w.done();
    }
  });
  return {
    child,
    open: (notebook, cells) =>
      new Promise<void>((resolve, reject) => {
        waiting.push({ notebook, done: resolve });
        child.once("exit", (code) => reject(new Error(`the language server exited (${code})`)));
        child.stdin!.write(JSON.stringify({ type: "cells", notebook, cells }) + "\n");
      }),
    close: () => void child.stdin!.end(),
  };
}
