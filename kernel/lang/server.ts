// The notebook language server process: IntelliSense for every open notebook, off the kernel, before any kernel starts.
//
// Started by the extension as `node out/kernel/lang/server.js`; requests are JSON lines on stdin,
// replies JSON lines on stdout (kernel/protocol.ts, LangRequest / LangReply).
import { dirname } from "node:path";
import type * as TS from "typescript";
import { LineDecoder, type LangReply, type LangRequest } from "../protocol.js";
import { NotebookLanguageService } from "./service.js";
import { typescript } from "./typescript.js";
import { serveChecks } from "./checkServer.js";

/** How long after the last edit the cells' problems are computed. */
const DIAGNOSTICS_DELAY_MS = 250;

const send = (reply: LangReply): void => void process.stdout.write(JSON.stringify(reply) + "\n");
let ts: typeof TS | undefined;
const services = new Map<string, NotebookLanguageService>();
const timers = new Map<string, NodeJS.Timeout>();

function serviceFor(notebook: string): NotebookLanguageService {
  ts ??= typescript();
  let s = services.get(notebook);
  if (!s) {
    s = new NotebookLanguageService(ts, dirname(notebook));
    services.set(notebook, s);
    for (const p of s.configProblems) send({ type: "log", message: p });
  }
  return s;
}

function publishSoon(notebook: string): void {
  clearTimeout(timers.get(notebook));
  timers.set(
    notebook,
    setTimeout(() => {
      timers.delete(notebook);
      queue = queue.then(() => publish(notebook));
    }, DIAGNOSTICS_DELAY_MS),
  );
}

function publish(notebook: string): void {
  const s = services.get(notebook);
  if (!s) return;
  try {
    send({ type: "diagnostics", notebook, cells: Object.fromEntries(s.diagnostics()) });
  } catch (e) {
    send({ type: "log", message: `diagnostics of ${notebook} failed: ${(e as Error).stack}` });
  }
}

async function handle(req: LangRequest): Promise<void> {
  if (req.type === "cells") {
    serviceFor(req.notebook).setCells(req.cells);
    publishSoon(req.notebook);
    return;
  }
  if (req.type === "close") {
    services.delete(req.notebook);
    clearTimeout(timers.get(req.notebook));
    return;
  }
  try {
    const s = serviceFor(req.notebook);
    const { cellId, offset } = req;
    const result =
      req.type === "complete" ? s.completions(cellId, offset) : req.type === "hover" ? s.hover(cellId, offset) : req.type === "signature" ? s.signatureHelp(cellId, offset) : s.definition(cellId, offset);
    send({ type: "answer", id: req.id, result: result ?? null });
  } catch (e) {
    send({ type: "failed", id: req.id, message: (e as Error).message });
  }
}

// One request at a time, in the order sent: a query always sees the cells sent before it.
let queue = Promise.resolve();
const decoder = new LineDecoder<LangRequest>(
  (req) => {
    queue = queue.then(() => handle(req)).catch((e) => void send({ type: "log", message: `request failed: ${(e as Error).stack}` }));
  },
  (line) => send({ type: "log", message: `ignored a request that is not JSON: ${line.slice(0, 200)}` }),
);
process.stdin.on("data", (chunk) => decoder.push(chunk));
process.stdin.on("end", () => process.exit(0));

// Kernels the extension starts check their cells here, with the libraries this process parsed (checkServer.ts).
if (process.env.MLNB_CHECK_SOCKET) {
  serveChecks(
    process.env.MLNB_CHECK_SOCKET,
    () => (ts ??= typescript()),
    // A notebook open here shares its registry; else one in the same folder (same compiler options); else it opens.
    (notebook) => (services.get(notebook) ?? [...services.entries()].find(([nb]) => dirname(nb) === dirname(notebook))?.[1] ?? serviceFor(notebook)).documents,
    (message) => send({ type: "log", message }),
  );
}
